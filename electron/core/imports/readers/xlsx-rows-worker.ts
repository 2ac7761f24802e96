// Entry point of the thread that reads one worksheet while the import writes (sheet-rows-thread.ts).
// Bundled to dist/core/xlsx-rows-worker.cjs.
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { errorShapeOf } from '../../error-shape';
import type { TableRow } from '../preset-types';
import {
  SHEET_ROWS_BATCH,
  SHEET_ROWS_IN_FLIGHT,
  type SheetRowsMessage,
  type SheetRowsWorkerData,
} from './sheet-rows-thread';
import { worksheetRows } from './xlsx-reader';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('xlsx-rows-worker must run as a worker thread');
  const data = workerData as SheetRowsWorkerData;
  let credits = SHEET_ROWS_IN_FLIGHT;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credits += 1;
    wake?.();
    wake = null;
  });
  const post = (message: SheetRowsMessage) => port.postMessage(message);
  const send = async (rows: TableRow[]) => {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits -= 1;
    post({ type: 'rows', rows });
  };
  const stream = createReadStream(data.path);
  try {
    let batch: TableRow[] = [];
    for await (const row of worksheetRows(stream, data.sheet, data.file)) {
      batch.push(row);
      if (batch.length === SHEET_ROWS_BATCH) {
        await send(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await send(batch);
    post({ type: 'end' });
  } catch (error) {
    post({
      type: 'error',
      error: errorShapeOf(error),
    });
  } finally {
    stream.destroy();
    // The importing thread terminates this one once it has the last message.
    port.unref();
  }
}

void main();
