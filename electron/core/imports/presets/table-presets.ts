import { AppError } from '../../../../shared/api/errors';
import type { TablePreset } from '../preset-types';
import { activeDirectoryGmsaPreset } from './active-directory-gmsa';
import { activeDirectorySvcUsersPreset } from './active-directory-svc-users';
import { awsCredentialReportPreset } from './aws-credential-report';
import { cmdbGenericPreset } from './cmdb-generic';

/** The CSV/XLSX presets, most specific first: a vendor's exact header beats the generic mapper. */
export const tablePresets: readonly TablePreset[] = [
  awsCredentialReportPreset,
  activeDirectoryGmsaPreset,
  activeDirectorySvcUsersPreset,
  cmdbGenericPreset,
];

/** Confidence a preset must reach to be used without asking. */
export const MIN_TABLE_CONFIDENCE = 0.5;

export function detectTablePreset(header: readonly string[]): TablePreset | null {
  const ranked = tablePresets
    .map((preset) => ({ preset, confidence: preset.detect(header) }))
    .sort((a, b) => b.confidence - a.confidence);
  const best = ranked[0];
  return best && best.confidence >= MIN_TABLE_CONFIDENCE ? best.preset : null;
}

export function tablePresetFor(id: string): TablePreset {
  const preset = tablePresets.find((p) => p.id === id);
  if (!preset) {
    throw new AppError(
      'INVALID_INPUT',
      `"${id}" is not a spreadsheet or CSV format Steward knows. Formats: ${tablePresets.map((p) => p.id).join(', ')}.`,
    );
  }
  return preset;
}
