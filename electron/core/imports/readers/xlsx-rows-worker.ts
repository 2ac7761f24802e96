// Entry point of the thread that reads one worksheet while the import writes (sheet-rows-thread.ts).
// Bundled to dist/core/xlsx-rows-worker.cjs.
import { parentPort, workerData } from 'node:worker_threads';
import { errorShapeOf } from '../../error-shape';
import type { TableRow } from '../preset-types';
import {
  SHEET_ROWS_BATCH,
  SHEET_ROWS_IN_FLIGHT,
  type SheetRowsMessage,
  type SheetRowsRequest,
  type SheetRowsWorkerData,
} from './sheet-rows-thread';
import { worksheetRows } from './xlsx-reader';

async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('xlsx-rows-worker must run as a worker thread');
  const data = workerData as SheetRowsWorkerData;
  // Loads while the importing thread inspects the workbook; worksheetRows finds it loaded.
  const exceljsLoading = import('exceljs/lib/stream/xlsx/workbook-reader.js');
  let credits = SHEET_ROWS_IN_FLIGHT;
  let wake: (() => void) | null = null;
  let stopping = false;
  // Stopping lets the thread end by itself: the reading stops at its next row, which closes the
  // file, and nothing is left to wait for.
  // (The importing thread never terminates it: Node aborts the whole process when a thread dies
  // with an inflater it has created but not yet started, as exceljs' reading does all the time.)
  const stop = () => {
    stopping = true;
    wake?.();
    port.unref();
  };
  const sheetNamed = new Promise<SheetRowsRequest | null>((resolve) => {
    port.on('message', (request: SheetRowsRequest) => {
      if (request.type === 'read') return resolve(request);
      if (request.type === 'stop') {
        resolve(null);
        return stop();
      }
      credits += 1;
      wake?.();
      wake = null;
    });
  });
  const post = (message: SheetRowsMessage) => port.postMessage(message);
  const send = async (rows: TableRow[]) => {
    while (credits === 0 && !stopping) await new Promise<void>((resolve) => (wake = resolve));
    credits -= 1;
    if (!stopping) post({ type: 'rows', rows });
  };
  const request = await sheetNamed;
  if (request?.type !== 'read') return;
  try {
    await exceljsLoading;
    let batch: TableRow[] = [];
    for await (const row of worksheetRows(data.path, request.sheet, data.file)) {
      if (stopping) break;
      batch.push(row);
      if (batch.length === SHEET_ROWS_BATCH) {
        await send(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await send(batch);
    if (!stopping) post({ type: 'end' });
  } catch (error) {
    if (!stopping) post({ type: 'error', error: errorShapeOf(error) });
  } finally {
    stop();
  }
}

void main();
