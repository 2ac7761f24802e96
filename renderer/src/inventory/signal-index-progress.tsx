import { useState } from 'react';
import type { EventPayload } from '../../../shared/api/events';
import { useCoreEvent } from '../bridge-client';
import { ProgressBar } from '../components/progress-bar';
import { formatCount, formatDay } from '../format';

type Progress = EventPayload<'signals.progress'>;

/**
 * While the list waits for the core to compute the risk signals of a date (after an import, on the first
 * look of a new day, for another as-of date), how far it is: a million identities take half a minute,
 * and an empty list with no word would look broken.
 */
export function SignalIndexProgress({ waiting }: { waiting: boolean }) {
  const [progress, setProgress] = useState<Progress | null>(null);
  useCoreEvent('signals.progress', setProgress);
  // A build that ended without its last report (it failed) must not show again with the next wait.
  const [wasWaiting, setWasWaiting] = useState(waiting);
  if (wasWaiting !== waiting) {
    setWasWaiting(waiting);
    if (!waiting) setProgress(null);
  }
  if (!waiting || !progress || progress.done >= progress.total) return null;
  const percent = progress.total > 0 ? (progress.done * 100) / progress.total : 0;
  return (
    <section className="progress-card" aria-labelledby="signals-progress-title">
      <p id="signals-progress-title" className="progress-title" role="status">
        Computing the risk signals as of {formatDay(progress.asOf)}
      </p>
      <ProgressBar
        labelledBy="signals-progress-title"
        percent={percent}
        valueText={`${formatCount(progress.done)} of ${formatCount(progress.total)} identities`}
      />
      <p className="progress-numbers">
        <strong>{formatCount(progress.done)}</strong> of {formatCount(progress.total)} identities
        <span className="muted">
          {' '}
          · Each identity is evaluated once for each date; the list appears when this is done.
        </span>
      </p>
    </section>
  );
}
