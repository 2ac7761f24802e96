import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openXlsxTable } from '../../../electron/core/imports/readers/xlsx-reader';
import {
  sheetRowsWorkerScript,
  startSheetRowsThread,
  useSheetRowsWorkerScript,
} from '../../../electron/core/imports/readers/sheet-rows-thread';
import type { TableRow } from '../../../electron/core/imports/preset-types';
import { xlsxReaderSuite } from '../../unit/imports/support/xlsx-reader-suite';
import { tempFolder } from '../../support/temp-folder';

// Built by this project's globalSetup (build-main.mjs cli worker), as the app and the CLI ship it.
const SCRIPT = join(__dirname, '..', '..', '..', 'dist', 'core', 'xlsx-rows-worker.cjs');
const CMDB = join('test/fixtures', 'cmdb/nhi_inventory.xlsx');

let restore: () => void = () => undefined;
beforeAll(() => {
  expect(existsSync(SCRIPT)).toBe(true);
  restore = useSheetRowsWorkerScript(SCRIPT);
});
afterAll(() => restore());

xlsxReaderSuite('on a reader thread');

describe('the reader thread', () => {
  it('is the one in use, and gives the rows the importing thread gives, in order', async () => {
    expect(sheetRowsWorkerScript()).toBe(SCRIPT);
    const threaded: TableRow[] = [];
    for await (const row of (await openXlsxTable(CMDB)).rows) threaded.push(row);
    const undo = useSheetRowsWorkerScript(null);
    const here: TableRow[] = [];
    try {
      for await (const row of (await openXlsxTable(CMDB)).rows) here.push(row);
    } finally {
      undo();
      restore = useSheetRowsWorkerScript(SCRIPT);
    }
    expect(threaded.length).toBeGreaterThan(100);
    expect(threaded).toEqual(here);
  });

  it('stops when the import stops reading, and a second read starts afresh', async () => {
    const table = await openXlsxTable(CMDB);
    const iterator = table.rows[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    await iterator.return?.(undefined);
    const again: TableRow[] = [];
    for await (const row of (await openXlsxTable(CMDB)).rows) again.push(row);
    expect(again[0]).toEqual(first.value);
  });

  it('starts before the inspection, and a workbook refused within milliseconds stops it safely', async () => {
    // A damaged archive fails its inspection before the thread has finished starting. Terminating a
    // thread that has not started aborts the whole process, so each refusal must wait for it.
    const damaged = join(tempFolder(), 'damaged.xlsx');
    writeFileSync(damaged, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(200)]));
    for (let attempt = 0; attempt < 40; attempt += 1)
      await expect(openXlsxTable(damaged)).rejects.toThrow(/damaged\.xlsx is not a readable Excel workbook/);
    const rows: TableRow[] = [];
    for await (const row of (await openXlsxTable(CMDB)).rows) rows.push(row);
    expect(rows.length).toBeGreaterThan(100);
  });

  it('can be stopped at any moment of its start, before its thread is up', async () => {
    // Terminating a thread in the middle of its start aborts the process: sweep the start, 0-40 ms.
    for (let delayMs = 0; delayMs <= 40; delayMs += 5) {
      const reader = startSheetRowsThread(SCRIPT, { path: CMDB, file: 'nhi_inventory.xlsx' });
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      await reader.stop();
    }
  });
});
