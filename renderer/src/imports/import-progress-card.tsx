import { CircleStop } from 'lucide-react';
import { useState } from 'react';
import type { EventPayload } from '../../../shared/api/events';
import { useCoreEvent } from '../bridge-client';
import { Button } from '../components/button';
import { ProgressBar } from '../components/progress-bar';
import { formatCount, plural } from '../format';
import { useImportSession } from './import-session';

function fileName(path: string): string {
  return path.split(/[\\/]/).at(-1) ?? path;
}

/**
 * A running import. The core does not know the row count in advance, so the bar is indeterminate and
 * the numbers say how far it is: rows read so far, and the rate computed from the progress events.
 * Once saved, the import computes today's risk signals for every identity in the vault (half a minute
 * at a million): that stage has a known length, and the bar and numbers follow it.
 */
export function ImportProgressCard() {
  const { state, cancel } = useImportSession();
  const step = state.step;
  const savedStage = step.kind === 'running' && step.progress?.cancellable === false;
  const [signals, setSignals] = useState<EventPayload<'signals.progress'> | null>(null);
  // Only the build this import started, once it is saved; not one the inventory asked for before.
  useCoreEvent('signals.progress', (event) => setSignals(savedStage ? event : null));
  // Leaving the stage forgets its numbers: the next import must not start with these.
  const [wasSaved, setWasSaved] = useState(savedStage);
  if (wasSaved !== savedStage) {
    setWasSaved(savedStage);
    if (!savedStage) setSignals(null);
  }
  if (step.kind !== 'running') return null;
  const { progress, startedAt, cancelRequested } = step;
  const signalsDone = savedStage && signals ? signals : null;
  const seconds = progress ? (progress.at - startedAt) / 1000 : 0;
  const rate = progress && seconds > 0 ? Math.round(progress.done / seconds) : null;
  const names = state.paths.map(fileName);
  const cancellable = progress?.cancellable ?? true;

  return (
    <div className="progress-card">
      <p className="progress-title">
        {cancelRequested ? 'Cancelling the import of ' : 'Importing '}
        {names.length === 1 ? names[0] : plural(names.length, 'file', 'files')}
      </p>
      <ProgressBar
        label="Import progress"
        percent={signalsDone && signalsDone.total > 0 ? (signalsDone.done * 100) / signalsDone.total : null}
        valueText={
          signalsDone
            ? `${progress?.label ?? ''}: ${formatCount(signalsDone.done)} of ${formatCount(signalsDone.total)} identities`
            : progress
              ? `${progress.label}: ${formatCount(progress.done)} rows read`
              : 'Reading the files'
        }
      />
      <div className="progress-footer">
        <p className="progress-numbers" aria-live="polite">
          {cancelRequested ? (
            'Stopping… nothing will be imported.'
          ) : progress && signalsDone ? (
            <>
              <span className="progress-stage">{progress.label}…</span>
              <br />
              <strong>{formatCount(signalsDone.done)}</strong> of {formatCount(signalsDone.total)} identities
              <span className="muted"> · {formatCount(progress.done)} rows imported</span>
            </>
          ) : progress ? (
            <>
              <span className="progress-stage">{progress.label}…</span>
              <br />
              <strong>{formatCount(progress.done)}</strong> rows read
              {rate !== null && <span className="muted"> · {formatCount(rate)} rows a second</span>}
            </>
          ) : (
            'Reading and checking the files…'
          )}
        </p>
        <Button
          icon={CircleStop}
          onClick={cancel}
          busy={cancelRequested}
          busyLabel="Cancelling…"
          disabled={!cancellable}
          title={cancellable ? undefined : 'The snapshot is saved: there is nothing left to cancel.'}
        >
          Cancel import
        </Button>
      </div>
    </div>
  );
}
