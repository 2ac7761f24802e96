// Entry point of the worker thread that writes a large import, so the thread that answers the window
// stays free. Bundled to dist/core/import-worker.cjs; the core starts it with the vault's database
// lent to it (see Vault.lendDatabase) and the import request.
import { parentPort, workerData } from 'node:worker_threads';
import { errorShapeOf } from '../error-shape';
import { openEncryptedDatabase } from '../db/open-database';
import { runImport, type ImportRequest } from './import-runner';
import type { ImportWorkerData, ImportWorkerMessage } from './import-worker-protocol';
import { ensureSignalIndex } from '../risk/signal-index';
import { todayIso } from '../inventory/identity-query';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('import-worker must run as a worker thread');
  const data = workerData as ImportWorkerData;
  const controller = new AbortController();
  port.on('message', (message: { type: string }) => {
    if (message.type === 'cancel') controller.abort();
  });
  // Listening for a cancel must not keep the thread alive once the import is done.
  port.unref();
  const post = (message: ImportWorkerMessage) => port.postMessage(message);
  const key = Buffer.from(data.keyHex, 'hex');
  const db = openEncryptedDatabase(data.path, key, { nativeBinding: data.nativeBinding });
  key.fill(0);
  try {
    const summary = await runImport(db, data.request as ImportRequest, {
      signal: controller.signal,
      onProgress: (done) => post({ type: 'progress', done }),
      onStage: (stage) => post({ type: 'stage', stage }),
    });
    // Still off the UI's thread: the inventory's signals for today, so its first page does not wait.
    if (!summary.alreadyImported) {
      post({ type: 'stage', stage: 'signals' });
      ensureSignalIndex(db, todayIso());
    }
    post({ type: 'done', summary });
  } catch (error) {
    post({
      type: 'failed',
      error: errorShapeOf(error),
    });
  } finally {
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  }
}

void main();
