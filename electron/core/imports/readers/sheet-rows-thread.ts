import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError, type AppErrorShape } from '../../../../shared/api/errors';
import type { TableRow } from '../preset-types';
import type { WorkbookSheet } from './zip-inspection';

/**
 * Reading a worksheet (unzipping, XML parsing, exceljs' cell model) costs as much as writing its rows
 * to the vault. On a thread of its own it runs while the import writes, so a workbook imports in about
 * the time exceljs takes to read it, not that plus the write. Rows cross in batches; the reader stays
 * at most a few batches ahead, so memory stays flat however long the sheet is.
 */

/** What the reader thread is started with. Plain data only. */
export interface SheetRowsWorkerData {
  path: string;
  sheet: WorkbookSheet & { part: string };
  file: string;
}

/** What the reader says: batches of rows, then end or error once. */
export type SheetRowsMessage =
  { type: 'rows'; rows: TableRow[] } | { type: 'end' } | { type: 'error'; error: AppErrorShape };

/** The reader asks for one more batch each time it has taken one. */
export interface SheetRowsRequest {
  type: 'more';
}

export const SHEET_ROWS_BATCH = 1000;
/** Batches the reader may have sent and not yet had taken: 4,000 rows of read-ahead. */
export const SHEET_ROWS_IN_FLIGHT = 4;

const SCRIPT_NAME = 'xlsx-rows-worker.cjs';
let scriptOverride: string | null | undefined;

/**
 * The bundled reader (dist/core/xlsx-rows-worker.cjs), found beside the bundle that runs this code
 * (dist/core, or dist/cli next to it). Unbundled (the unit tests run the TypeScript) there is none and
 * the sheet is read on the importing thread, with the same rows.
 */
export function sheetRowsWorkerScript(): string | null {
  if (scriptOverride !== undefined) return scriptOverride;
  const here = typeof __dirname === 'string' ? __dirname : null;
  if (!here) return null;
  return (
    [join(here, SCRIPT_NAME), join(here, '..', 'core', SCRIPT_NAME)].find((path) => existsSync(path)) ?? null
  );
}

/** For tests: read sheets through this script (or on the importing thread with null) until reset. */
export function useSheetRowsWorkerScript(script: string | null): () => void {
  scriptOverride = script;
  return () => {
    scriptOverride = undefined;
  };
}

/** The rows of one worksheet, read on a thread of its own; returning early stops that thread. */
export async function* sheetRowsFromThread(
  script: string,
  data: SheetRowsWorkerData,
): AsyncGenerator<TableRow, void, undefined> {
  const worker = new Worker(script, { workerData: data });
  const inbox: SheetRowsMessage[] = [];
  let wake: (() => void) | null = null;
  let ended = false;
  const deliver = (message: SheetRowsMessage) => {
    if (ended) return;
    if (message.type !== 'rows') ended = true;
    inbox.push(message);
    wake?.();
    wake = null;
  };
  worker.on('message', deliver);
  worker.on('error', (error) =>
    deliver({
      type: 'error',
      error: {
        code: 'INVALID_FILE',
        message: `${data.file}: the sheet "${data.sheet.name}" cannot be read (${error.message}). Open the workbook in Excel, save it again as .xlsx, or export CSV.`,
      },
    }),
  );
  // The reader exits on its own after its last message; an exit before that is a crash.
  worker.on('exit', () =>
    deliver({
      type: 'error',
      error: {
        code: 'INTERNAL',
        message: `${data.file}: reading the sheet "${data.sheet.name}" stopped unexpectedly.`,
      },
    }),
  );
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift()!;
      if (message.type === 'end') return;
      if (message.type === 'error') throw new AppError(message.error.code, message.error.message);
      worker.postMessage({ type: 'more' } satisfies SheetRowsRequest);
      yield* message.rows;
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}
