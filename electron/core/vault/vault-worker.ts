// Entry point of the worker thread that does long vault work (an import, the risk-signal index for a
// date, a campaign launch, an evidence export), so the thread that answers the window stays free.
// Bundled to dist/core/vault-worker.cjs; the core starts it with the vault's database lent to it (see
// Vault.lendDatabase) and one job.
import { parentPort, workerData } from 'node:worker_threads';
import { launchCampaign } from '../campaigns/campaigns';
import { errorShapeOf } from '../error-shape';
import { writeEvidenceFiles } from '../evidence/evidence-export';
import { openEncryptedDatabase, type Db } from '../db/open-database';
import { runImport, type ImportRequest } from '../imports/import-runner';
import { todayIso } from '../inventory/identity-query';
import { ensureSignalIndex, type SignalIndexProgress } from '../risk/signal-index';
import type { VaultWorkerData, VaultWorkerJob, VaultWorkerMessage } from './vault-worker-protocol';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('vault-worker must run as a worker thread');
  const data = workerData as VaultWorkerData;
  const controller = new AbortController();
  const signal = seeingCancelFlag(controller, new Int32Array(data.cancelFlag));
  port.on('message', (message: { type: string }) => {
    if (message.type === 'cancel') controller.abort();
  });
  // Listening for a cancel must not keep the thread alive once the job is done.
  port.unref();
  const post = (message: VaultWorkerMessage) => port.postMessage(message);
  const key = Buffer.from(data.keyHex, 'hex');
  const db = openEncryptedDatabase(data.path, key, { nativeBinding: data.nativeBinding });
  key.fill(0);
  try {
    post({ type: 'done', result: await runJob(db, data.job, signal, post) });
  } catch (error) {
    post({ type: 'failed', error: errorShapeOf(error) });
  } finally {
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  }
}

async function runJob(
  db: Db,
  job: VaultWorkerJob,
  signal: AbortSignal,
  post: (message: VaultWorkerMessage) => void,
): Promise<unknown> {
  const signalProgress: SignalIndexProgress = (progress) => post({ type: 'signals', ...progress });
  if (job.kind === 'signal-index') {
    ensureSignalIndex(db, job.asOf, signalProgress);
    return null;
  }
  if (job.kind === 'campaign-launch') return launchCampaign(db, job.campaignId, job.actor, signalProgress);
  if (job.kind === 'evidence-export') {
    return writeEvidenceFiles(db, job.request, {
      signal,
      onProgress: (progress) => post({ type: 'evidence', progress }),
    });
  }
  const summary = await runImport(db, job.request as ImportRequest, {
    signal,
    onProgress: (done) => post({ type: 'rows', done }),
    onStage: (stage) => post({ type: 'stage', stage }),
  });
  // Still off the UI's thread: the inventory's signals for today, so its first page does not wait.
  if (!summary.alreadyImported) {
    post({ type: 'stage', stage: 'signals' });
    ensureSignalIndex(db, todayIso(), signalProgress);
  }
  return summary;
}

/**
 * The controller's signal, whose `aborted` also reads the calling thread's cancel flag: a job that
 * never yields (drawing a PDF) checks `aborted` as it goes, but would get the cancel message only once
 * it is done. Listeners (an import's streams) still hear of a cancel through the message.
 */
function seeingCancelFlag(controller: AbortController, cancelFlag: Int32Array): AbortSignal {
  const signal = controller.signal;
  const abortedNow = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;
  Object.defineProperty(signal, 'aborted', {
    get: () => {
      if (Atomics.load(cancelFlag, 0) === 1 && !abortedNow.call(signal)) controller.abort();
      return abortedNow.call(signal) as boolean;
    },
  });
  return signal;
}

void main();
