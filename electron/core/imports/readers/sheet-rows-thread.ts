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
  file: string;
}

/** What the reader says: batches of rows, then end or error once. */
export type SheetRowsMessage =
  { type: 'rows'; rows: TableRow[] } | { type: 'end' } | { type: 'error'; error: AppErrorShape };

/**
 * What the importing thread says: which sheet to read (once, when the workbook has passed its
 * inspection), then one `more` each time it has taken a batch; `stop` when it wants no more rows.
 */
export type SheetRowsRequest =
  { type: 'read'; sheet: WorkbookSheet & { part: string } } | { type: 'more' } | { type: 'stop' };

export const SHEET_ROWS_BATCH = 1000;
/**
 * Batches the reader may have sent and not yet had taken: 16,000 rows of read-ahead (a few MB), so
 * the reader goes on while the importing thread peeks at the header, picks the mapping and opens its
 * transaction, and over the writer's pauses. With 4, a 100,000-row workbook imported about 2.5% slower
 * (medians of alternating runs); 64 gained nothing more.
 */
export const SHEET_ROWS_IN_FLIGHT = 16;
/** How long a reader thread asked to stop may take before it is left to end on its own. */
const STOP_GRACE_MS = 10_000;

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

/** A worksheet's rows, read once `read` names the sheet; `stop` ends the reading, read or not. */
export interface SheetRowsReader {
  read(sheet: WorkbookSheet & { part: string }): AsyncGenerator<TableRow, void, undefined>;
  stop(): Promise<void>;
}

/**
 * A reader thread, started before the workbook is inspected so that it loads exceljs (a fifth of a
 * second) meanwhile; it opens nothing until `read` names the sheet. `stop` ends it unread (the
 * inspection refused the file); returning early from `read`'s rows stops it too.
 */
export function startSheetRowsThread(script: string, data: SheetRowsWorkerData): SheetRowsReader {
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
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // Asked to stop, the thread closes the file and ends by itself. It is never terminated: Node aborts
  // the whole process ("close before init") when a thread dies holding an inflater it has created
  // but not started, which exceljs' reading does all the time.
  const stop = async () => {
    worker.postMessage({ type: 'stop' } satisfies SheetRowsRequest);
    // It ends within one chunk of XML. Should it ever not, it must not hold up the import's end or
    // keep the app from quitting.
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      exited,
      new Promise<void>((resolve) => {
        grace = setTimeout(() => {
          worker.unref();
          resolve();
        }, STOP_GRACE_MS);
        grace.unref();
      }),
    ]);
    clearTimeout(grace);
    worker.removeAllListeners();
  };
  // Listened to from the start: a thread that fails while exceljs loads must not go unheard.
  let sheetName = '';
  const what = () => (sheetName ? `the sheet "${sheetName}"` : 'the workbook');
  worker.on('message', deliver);
  worker.on('error', (error) =>
    deliver({
      type: 'error',
      error: {
        code: 'INVALID_FILE',
        message: `${data.file}: ${what()} cannot be read (${error.message}). Open the workbook in Excel, save it again as .xlsx, or export CSV.`,
      },
    }),
  );
  worker.on('exit', () =>
    deliver({
      type: 'error',
      error: { code: 'INTERNAL', message: `${data.file}: reading ${what()} stopped unexpectedly.` },
    }),
  );
  return {
    stop,
    async *read(sheet) {
      sheetName = sheet.name;
      worker.postMessage({ type: 'read', sheet } satisfies SheetRowsRequest);
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
        await stop();
      }
    },
  };
}
