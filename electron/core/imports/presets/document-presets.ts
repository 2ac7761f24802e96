import { z } from 'zod';
import { AppError } from '../../../../shared/api/errors';
import type { DocumentFile, DocumentPreset } from '../preset-types';
import { describeJsonShape } from '../readers/json-reader';
import { createEntraServicePrincipalsPreset, describeEntraFile } from './entra-service-principals';
import { describeGcpFile, gcpServiceAccountsPreset } from './gcp-service-accounts';
import { describeGitHubFile, githubOrgPreset } from './github-org';
import { createKubernetesServiceAccountsPreset, describeKubernetesFile } from './kubernetes-service-accounts';
import { describeOktaFile, oktaOrgPreset } from './okta-org';

/**
 * The JSON-shaped vendor presets, how to recognise an import's files, and how to build a preset with
 * the user's parameters. All files of one import belong to one source and one snapshot.
 */
interface DocumentPresetEntry {
  preset: DocumentPreset;
  /** What this preset sees in one file, or null when the file is not one of its kinds. */
  describe(file: DocumentFile): string | null;
  /** The preset's parameters; absent when it takes none. */
  parameters?: z.ZodType<Record<string, unknown>>;
  withParameters?(parameters: Record<string, unknown>): DocumentPreset;
}

const entraParameters = z.strictObject({
  homeTenantId: z.guid().optional(),
});

const kubernetesParameters = z.strictObject({
  ownerAnnotation: z.string().trim().min(1).max(316).optional(),
  clusterName: z.string().trim().min(1).max(200).optional(),
  environment: z.string().trim().min(1).max(60).optional(),
});

const ENTRIES: readonly DocumentPresetEntry[] = [
  {
    preset: createEntraServicePrincipalsPreset(),
    describe: describeEntraFile,
    parameters: entraParameters,
    withParameters: (p) => createEntraServicePrincipalsPreset(entraParameters.parse(p)),
  },
  {
    preset: createKubernetesServiceAccountsPreset(),
    describe: describeKubernetesFile,
    parameters: kubernetesParameters,
    withParameters: (p) => createKubernetesServiceAccountsPreset(kubernetesParameters.parse(p)),
  },
  { preset: githubOrgPreset, describe: describeGitHubFile },
  { preset: gcpServiceAccountsPreset, describe: describeGcpFile },
  { preset: oktaOrgPreset, describe: describeOktaFile },
];

export const documentPresets: readonly DocumentPreset[] = ENTRIES.map((entry) => entry.preset);

/** Below this, detection refuses to guess and asks the user to choose a format. */
export const MIN_DETECTION_CONFIDENCE = 0.6;

/** A preset by id, built with the user's parameters (validated; unknown ones are refused). */
export function documentPresetFor(id: string, parameters: Record<string, unknown> = {}): DocumentPreset {
  const entry = ENTRIES.find((e) => e.preset.id === id);
  if (!entry) {
    throw new AppError(
      'INVALID_INPUT',
      `There is no JSON import format "${id}". Choose one of: ${documentPresets.map((p) => p.id).join(', ')}.`,
    );
  }
  if (Object.keys(parameters).length === 0) return entry.preset;
  if (!entry.withParameters) {
    throw new AppError('INVALID_INPUT', `The format ${entry.preset.label} takes no parameters.`);
  }
  try {
    return entry.withParameters(parameters);
  } catch (error) {
    if (!(error instanceof z.ZodError)) throw error;
    const problems = error.issues.map((i) => `${i.path.join('.') || 'parameters'}: ${i.message}`).join('; ');
    throw new AppError(
      'INVALID_INPUT',
      `The parameters for ${entry.preset.label} are not valid (${problems}).`,
    );
  }
}

export interface DetectedDocumentPreset {
  preset: DocumentPreset;
  confidence: number;
}

/**
 * The preset that recognises these files as its export. When none is sure enough (or two are), the
 * error lists each file and what it looks like, so the user can see a stray or mixed-up file and
 * choose a format explicitly.
 */
export function detectDocumentPreset(files: readonly DocumentFile[]): DetectedDocumentPreset {
  if (files.length === 0)
    throw new AppError('INVALID_INPUT', 'No files were given. Choose the export files to import.');
  const ranked = ENTRIES.map((entry) => ({
    preset: entry.preset,
    confidence: entry.preset.detect(files),
  })).sort((a, b) => b.confidence - a.confidence);
  const [best, second] = ranked;
  const sure = best !== undefined && best.confidence >= MIN_DETECTION_CONFIDENCE;
  const tie = sure && second !== undefined && second.confidence === best.confidence;
  if (sure && !tie) return best;
  const lines = files.map((file) => `- ${file.name}: ${describeFile(file)}`);
  const lead = tie
    ? 'These files match more than one import format.'
    : files.length === 1
      ? 'This file is not an export Steward recognises.'
      : 'These files are not one export Steward recognises.';
  throw new AppError(
    'UNSUPPORTED_FILE',
    `${lead}\n${lines.join('\n')}\n` +
      'Choose the format explicitly, and import the files of one system together (and only those). ' +
      `Formats: ${documentPresets.map((p) => p.label).join('; ')}.`,
  );
}

function describeFile(file: DocumentFile): string {
  const recognised = ENTRIES.map((entry) => entry.describe(file)).filter((d): d is string => d !== null);
  if (recognised.length > 0) return recognised.join(' or ');
  return `not recognised (${describeJsonShape(file.json)})`;
}
