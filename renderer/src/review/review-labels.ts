import type { ItemDecisionState } from '../../../shared/domain/campaign';
import { RISK_SIGNALS, type RiskSeverity, type RiskSignalCode } from '../../../shared/domain/risk';
import type { BadgeTone } from '../components/badge';

export const DECISION_LABELS: Record<ItemDecisionState, { label: string; tone: BadgeTone }> = {
  pending: { label: 'Undecided', tone: 'neutral' },
  certify: { label: 'Certified', tone: 'success' },
  revoke: { label: 'Revoke', tone: 'danger' },
  reassign: { label: 'Reassign', tone: 'accent' },
  exception: { label: 'Exception', tone: 'warning' },
};

export const SEVERITY_TONES: Record<RiskSeverity, BadgeTone> = {
  high: 'danger',
  medium: 'warning',
  low: 'neutral',
  info: 'neutral',
};

export function signalLabel(code: RiskSignalCode): string {
  return RISK_SIGNALS[code].label;
}
