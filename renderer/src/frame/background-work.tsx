import { LoaderCircle } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { EventPayload } from '../../../shared/api/events';
import { useCoreEvent } from '../bridge-client';
import { formatDay } from '../format';

/** A build that has said nothing for this long has ended without its last word (it failed). */
const SILENT_MS = 15_000;

type VaultWork = NonNullable<EventPayload<'vault.busy'>['work']>;

/** What the top bar says while the vault is lent to work with no percentage of its own here. */
const LENT_FOR: Record<VaultWork, string> = {
  import: 'Writing an import to the vault',
  'evidence-export': 'Writing an evidence pack',
  'campaign-launch': 'Launching a campaign',
  'signal-index': 'Computing risk signals',
};

/**
 * Work the vault does that other pages wait for: an import, an evidence export or a launch (the vault
 * is lent to the worker meanwhile, and pages say BUSY), and computing the risk signals of a date (half
 * a minute at a million identities, with how far it is). Whatever page is open, the top bar says so
 * while it lasts, so a page that waits is explained.
 */
export function BackgroundWork() {
  const [signals, setSignals] = useState<EventPayload<'signals.progress'> | null>(null);
  const [lentFor, setLentFor] = useState<VaultWork | null>(null);
  useCoreEvent('signals.progress', (progress) =>
    setSignals(progress.done < progress.total ? progress : null),
  );
  useCoreEvent('vault.busy', (busy) => setLentFor(busy.work));
  useEffect(() => {
    if (!signals) return undefined;
    const timer = window.setTimeout(() => setSignals(null), SILENT_MS);
    return () => window.clearTimeout(timer);
  }, [signals]);
  if (signals) {
    const percent = signals.total > 0 ? Math.floor((signals.done * 100) / signals.total) : 0;
    return (
      <p className="background-work" role="status">
        <LoaderCircle className="background-work-icon" aria-hidden="true" />
        Computing risk signals as of {formatDay(signals.asOf)}
        <span className="background-work-percent">{percent}%</span>
      </p>
    );
  }
  if (!lentFor) return null;
  return (
    <p className="background-work" role="status">
      <LoaderCircle className="background-work-icon" aria-hidden="true" />
      {LENT_FOR[lentFor]}…
    </p>
  );
}
