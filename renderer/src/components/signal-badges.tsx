import type { IdentitySignal } from '../../../shared/api/schemas/inventory';
import {
  OWASP_NHI_TOP_10,
  RISK_SIGNALS,
  type RiskSeverity,
  type RiskSignalCode,
} from '../../../shared/domain/risk';
import { Badge, type BadgeTone } from './badge';

const TONES: Record<RiskSeverity, BadgeTone> = {
  high: 'danger',
  medium: 'warning',
  low: 'neutral',
  info: 'neutral',
};

const OWASP_NAMES = new Map(OWASP_NHI_TOP_10.map((risk) => [risk.id, risk.name]));

/** "NHI7:2025 Long-Lived Secrets", for a tooltip or a legend. */
export function owaspLabel(id: string | null): string | null {
  return id === null ? null : `${id.replace(':2025', '')} ${OWASP_NAMES.get(id as never) ?? ''}`.trim();
}

/**
 * A row's signals as small badges, most important first (the core sends them in reading order; the
 * filtered signal, then high severity, are pulled to the front). Each badge's tooltip is the plain-language reason; what does not
 * fit is counted, and the whole list is in the accessible name.
 */
export function SignalBadges({
  signals,
  max = 2,
  first,
  hide = [],
}: {
  signals: readonly IdentitySignal[];
  max?: number;
  /** Shown first when present: the signal the list is filtered by. */
  first?: RiskSignalCode | undefined;
  /** Left out because another column already says them (the owner column and the owner signals). */
  hide?: readonly RiskSignalCode[];
}) {
  const rank = (signal: IdentitySignal) => (signal.code === first ? 2 : signal.severity === 'high' ? 1 : 0);
  const ordered = signals.filter((s) => !hide.includes(s.code)).sort((a, b) => rank(b) - rank(a));
  if (ordered.length === 0) return <span className="muted">—</span>;
  const shown = ordered.slice(0, max);
  const hidden = ordered.slice(max);
  return (
    <span
      className="signal-badges"
      aria-label={`Signals: ${ordered.map((s) => RISK_SIGNALS[s.code].label).join(', ')}`}
    >
      {shown.map((signal) => (
        <span key={signal.code} title={signal.reason} aria-hidden="true">
          <Badge tone={TONES[signal.severity]}>{RISK_SIGNALS[signal.code].label}</Badge>
        </span>
      ))}
      {hidden.length > 0 && (
        <span
          className="signal-more"
          aria-hidden="true"
          title={hidden.map((s) => `${RISK_SIGNALS[s.code].label}: ${s.reason}`).join('\n')}
        >
          +{hidden.length}
        </span>
      )}
    </span>
  );
}

/** Every signal with its reason and OWASP NHI risk, for a detail panel. */
export function SignalList({ signals }: { signals: readonly IdentitySignal[] }) {
  if (signals.length === 0) return <p className="muted">No risk signals at this date.</p>;
  return (
    <ul className="signal-reasons">
      {signals.map((signal) => (
        <li key={signal.code} className="signal-reason">
          <span className="signal-reason-head">
            <Badge tone={TONES[signal.severity]}>{RISK_SIGNALS[signal.code].label}</Badge>
            {signal.owasp && <span className="signal-reason-owasp">{owaspLabel(signal.owasp)}</span>}
          </span>
          <span className="signal-reason-text">{signal.reason}</span>
        </li>
      ))}
    </ul>
  );
}
