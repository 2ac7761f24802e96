import { LoaderCircle } from 'lucide-react';
import { useEffect, useState } from 'react';
import type { EventPayload } from '../../../shared/api/events';
import { useCoreEvent } from '../bridge-client';
import { formatDay } from '../format';

/** A build that has said nothing for this long has ended without its last word (it failed). */
const SILENT_MS = 15_000;

/**
 * Work the vault does that every page waits for: computing the risk signals of a date, half a minute
 * at a million identities. Whatever page is open, the top bar says so while it lasts, so a list that
 * takes its time is explained.
 */
export function BackgroundWork() {
  const [signals, setSignals] = useState<EventPayload<'signals.progress'> | null>(null);
  useCoreEvent('signals.progress', (progress) =>
    setSignals(progress.done < progress.total ? progress : null),
  );
  useEffect(() => {
    if (!signals) return undefined;
    const timer = window.setTimeout(() => setSignals(null), SILENT_MS);
    return () => window.clearTimeout(timer);
  }, [signals]);
  if (!signals) return null;
  const percent = signals.total > 0 ? Math.floor((signals.done * 100) / signals.total) : 0;
  return (
    <p className="background-work" role="status">
      <LoaderCircle className="background-work-icon" aria-hidden="true" />
      Computing risk signals as of {formatDay(signals.asOf)}
      <span className="background-work-percent">{percent}%</span>
    </p>
  );
}
