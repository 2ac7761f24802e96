import { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/api/errors';
import type { Vault } from './vault';
import type { VaultWorkerData, VaultWorkerJob, VaultWorkerMessage } from './vault-worker-protocol';

/** What a job reports while it runs (everything but its outcome). */
export type VaultWorkerProgress = Exclude<VaultWorkerMessage, { type: 'done' } | { type: 'failed' }>;

export interface VaultWorkerOptions {
  /** Aborting asks the worker to stop; an import's transaction then writes nothing, an export no file. */
  signal?: AbortSignal;
  onProgress?: (message: VaultWorkerProgress) => void;
  /** What reads of the vault say (BUSY) while the worker has it, e.g. "An import is being written…". */
  busyMessage: string;
  /**
   * Calls wait for the job instead of failing BUSY (Vault.whenAvailable): for jobs that take seconds
   * and cannot be cancelled. An import, which can take minutes and be cancelled, lets them fail.
   */
  callsWait: boolean;
}

/** What a failed job leaves behind, said after why it stopped. */
const AFTER_FAILURE: Record<VaultWorkerJob['kind'], { what: string; left: string }> = {
  import: { what: 'The import', left: 'Nothing was imported.' },
  'signal-index': {
    what: 'Computing the risk signals',
    left: 'The vault is as it was; the inventory tries again when it is next opened.',
  },
  'campaign-launch': { what: 'The launch', left: 'The campaign is still a draft; nothing was frozen.' },
  'evidence-export': {
    what: 'The evidence export',
    left: 'A file it had not finished was not written; export again.',
  },
};

/**
 * Runs one job in the vault worker with the vault's database lent to it. The calling thread keeps
 * answering: until the job ends, calls wait for it (`callsWait`) or reads of the vault say BUSY in
 * `busyMessage`'s words. The result is given only once the worker has exited, so the database is
 * never open in two threads.
 */
export function runInVaultWorker(
  vault: Vault,
  workerScript: string,
  job: VaultWorkerJob,
  options: VaultWorkerOptions,
): Promise<unknown> {
  const failure = AFTER_FAILURE[job.kind];
  return vault.lendDatabase(
    (loan) =>
      new Promise<unknown>((resolve, reject) => {
        const cancelFlag = new SharedArrayBuffer(4);
        const data: VaultWorkerData = {
          path: loan.path,
          keyHex: loan.key.toString('hex'),
          nativeBinding: loan.nativeBinding,
          job,
          cancelFlag,
        };
        const worker = new Worker(workerScript, { workerData: data });
        let outcome: { result: unknown } | { error: AppError } | null = null;
        const onAbort = () => {
          Atomics.store(new Int32Array(cancelFlag), 0, 1);
          // The message wakes a job that waits (an import's stream) at once; the flag reaches one that never yields.
          worker.postMessage({ type: 'cancel' });
        };
        options.signal?.addEventListener('abort', onAbort, { once: true });
        worker.on('message', (message: VaultWorkerMessage) => {
          if (message.type === 'done') outcome = { result: message.result };
          else if (message.type === 'failed')
            outcome = { error: new AppError(message.error.code, message.error.message) };
          else options.onProgress?.(message);
        });
        worker.on('error', (error) => {
          outcome ??= {
            error: new AppError(
              'INTERNAL',
              `${failure.what} stopped unexpectedly (${error.message}). ${failure.left}`,
            ),
          };
        });
        worker.on('exit', (code) => {
          options.signal?.removeEventListener('abort', onAbort);
          const settled = outcome as { result: unknown } | { error: AppError } | null;
          if (settled && 'result' in settled) resolve(settled.result);
          else if (settled) reject(settled.error);
          else
            reject(
              new AppError(
                'INTERNAL',
                `${failure.what} stopped unexpectedly (exit ${code}). ${failure.left}`,
              ),
            );
        });
      }),
    { work: job.kind, busyMessage: options.busyMessage, callsWait: options.callsWait },
  );
}
