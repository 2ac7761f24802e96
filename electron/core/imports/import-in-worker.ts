import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/api/errors';
import type { Vault } from '../vault/vault';
import type { ImportRequest, ImportRunOptions } from './import-runner';
import type { ImportWorkerData, ImportWorkerMessage } from './import-worker-protocol';
import type { SnapshotSummary } from './snapshot-writer';

/**
 * Runs an import in a worker thread with the vault's database lent to it. The calling thread keeps
 * answering (reads of the vault say BUSY until the import ends); cancelling asks the worker to stop,
 * and its transaction then writes nothing. The result is given only once the worker has exited, so
 * the database is never open in two threads.
 */
export function runImportInWorker(
  vault: Vault,
  workerScript: string,
  request: ImportRequest,
  options: ImportRunOptions = {},
): Promise<SnapshotSummary> {
  return vault.lendDatabase(
    (loan) =>
      new Promise<SnapshotSummary>((resolve, reject) => {
        const data: ImportWorkerData = {
          path: loan.path,
          keyHex: loan.key.toString('hex'),
          nativeBinding: loan.nativeBinding,
          request,
        };
        const worker = new Worker(workerScript, { workerData: data });
        let outcome: { summary: SnapshotSummary } | { error: AppError } | null = null;
        const onAbort = () => worker.postMessage({ type: 'cancel' });
        options.signal?.addEventListener('abort', onAbort, { once: true });
        worker.on('message', (message: ImportWorkerMessage) => {
          if (message.type === 'progress') options.onProgress?.(message.done);
          else if (message.type === 'stage') options.onStage?.(message.stage);
          else if (message.type === 'done') outcome = { summary: message.summary };
          else outcome = { error: new AppError(message.error.code, message.error.message) };
        });
        worker.on('error', (error) => {
          outcome ??= {
            error: new AppError(
              'INTERNAL',
              `The import stopped unexpectedly (${error.message}). Nothing was imported.`,
            ),
          };
        });
        worker.on('exit', (code) => {
          options.signal?.removeEventListener('abort', onAbort);
          const result = outcome as { summary: SnapshotSummary } | { error: AppError } | null;
          if (result && 'summary' in result) resolve(result.summary);
          else if (result) reject(result.error);
          else
            reject(
              new AppError(
                'INTERNAL',
                `The import stopped unexpectedly (exit ${code}). Nothing was imported.`,
              ),
            );
        });
      }),
  );
}
