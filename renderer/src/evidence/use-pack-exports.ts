import { useState } from 'react';
import type { MethodOutput } from '../../../shared/api/contract';
import type { EventPayload } from '../../../shared/api/events';
import { call, isBridgeError, useCoreEvent } from '../bridge-client';

export type PackExport = NonNullable<MethodOutput<'evidence.exportWithDialog'>['export']>;

export interface RunningExport {
  campaignId: number;
  taskId: string;
  /** The core's latest `task.progress` for this task; null while the save dialog is open or work starts. */
  progress: EventPayload<'task.progress'> | null;
  cancelRequested: boolean;
}

export type ExportOutcome =
  { kind: 'written'; pack: PackExport } | { kind: 'cancelled' } | { kind: 'failed'; error: unknown };

/**
 * Evidence packs being written and written in this visit of the page. One at a time: the core writes
 * behind the vault's queue anyway, and the page shows one progress bar.
 */
export function usePackExports() {
  const [running, setRunning] = useState<RunningExport | null>(null);
  const [outcomes, setOutcomes] = useState<Record<number, ExportOutcome>>({});

  useCoreEvent('task.progress', (progress) => {
    if (!running || running.taskId !== progress.taskId) return;
    // A cancel sent before the core started the task found nothing to stop: send it again now it runs.
    if (running.cancelRequested)
      void call('evidence.cancel', { taskId: running.taskId }).catch(() => undefined);
    setRunning({ ...running, progress });
  });

  const settle = (campaignId: number, outcome: ExportOutcome | null) => {
    setRunning(null);
    setOutcomes((previous) => {
      const next = { ...previous };
      if (outcome) next[campaignId] = outcome;
      return next;
    });
  };

  const generate = async (campaignId: number, workpapers: boolean) => {
    if (running) return;
    const taskId = `evidence-${campaignId}-${Date.now().toString(36)}`;
    setRunning({ campaignId, taskId, progress: null, cancelRequested: false });
    try {
      const result = await call('evidence.exportWithDialog', { campaignId, workpapers, taskId });
      // A closed save dialog is a change of mind, not an outcome: the earlier result (if any) stays.
      settle(campaignId, result.export ? { kind: 'written', pack: result.export } : null);
    } catch (error) {
      settle(
        campaignId,
        isBridgeError(error) && error.code === 'CANCELLED'
          ? { kind: 'cancelled' }
          : { kind: 'failed', error },
      );
    }
  };

  const cancel = () => {
    if (!running) return;
    setRunning({ ...running, cancelRequested: true });
    void call('evidence.cancel', { taskId: running.taskId }).catch(() => undefined);
  };

  return { running, outcomes, generate, cancel };
}
