// `npm run bench`: Steward's heavy operations against references measured in the same run on the same
// machine, because absolute times drift by a quarter between runs here (PERFORMANCE.md). The targets
// are the issues' ratios; the table says pass or fail for each.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { createCore } from '../../electron/core/core';
import { type BenchRow, medianMs, seconds } from './bench-row';
import { benchCampaigns } from './campaign-bench';
import { benchEvidencePack } from './evidence-bench';
import { BENCH_HEADER, inventoryRow, lcg, writeInventoryCsv } from './generate-inventory';
import { timeSqliteAloneWritingTheVaultRows } from './import-floor';

const root = join(__dirname, '..', '..');
const work = join(root, '.cache', 'bench');
const csvRows = Number(process.env.STEWARD_BENCH_ROWS ?? 1_000_000);
const xlsxRows = Number(process.env.STEWARD_BENCH_XLSX_ROWS ?? 100_000);

const rows: BenchRow[] = [];

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

function requireSqlite3(): void {
  const probe = spawnSync('sqlite3', ['--version']);
  if (probe.status !== 0) {
    log(
      'the sqlite3 command-line tool is the reference for the import benchmark. Install it: apt-get install sqlite3',
    );
    process.exit(1);
  }
}

/** Times the CLI's `.import` into a fresh plain database, which is left for the floor to read. */
function timeSqlite3Import(csv: string, db: string): number {
  rmSync(db, { force: true });
  const columns = BENCH_HEADER.map((_, i) => `c${i + 1}`).join(', ');
  const started = process.hrtime.bigint();
  execFileSync('sqlite3', [
    db,
    `CREATE TABLE inventory(${columns});`,
    `.import --csv --skip 1 ${csv} inventory`,
  ]);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

function stewardImportInChild(
  vault: string,
  file: string,
): { ms: number; maxRssMb: number; imported: number } {
  rmSync(vault, { recursive: true, force: true });
  const child = spawnSync(process.execPath, [join(work, 'import-once.cjs'), vault, file], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`Steward's import failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { ms: number; maxRssMb: number; imported: number };
}

async function writeXlsx(path: string, count: number): Promise<void> {
  const random = lcg(7);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useSharedStrings: false,
    useStyles: false,
  });
  const sheet = workbook.addWorksheet('NHI Register');
  sheet.addRow(BENCH_HEADER).commit();
  for (let i = 1; i <= count; i += 1) sheet.addRow(inventoryRow(i, random)).commit();
  sheet.commit();
  await workbook.commit();
}

function excelJsReadInChild(path: string): number {
  const child = spawnSync(process.execPath, [join(work, 'xlsx-read-once.cjs'), path, String(xlsxRows)], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`the exceljs reference failed: ${child.stderr}`);
  return (JSON.parse(child.stdout) as { ms: number }).ms;
}

/** Pairs of runs for the XLSX comparison: a single pair moved by a quarter between runs here. */
const XLSX_PAIRS = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Searches as users type them into the inventory (a name fragment, the start of a record id, a word
 * that is nowhere), each a page of 100 sorted by name: FTS5 answers from its index.
 */
async function searchMedian(vault: string): Promise<number> {
  const core = createCore({ vaultFolder: vault });
  const unlocked = await core.dispatch('vault.unlock', { passphrase: 'benchmark passphrase only' });
  if (!unlocked.ok) throw new Error(unlocked.error.message);
  const searches = ['svc-4277', 'NHI-00012', 'backup', 'svc-1000', 'NHI-0099', 'carrier'];
  const ms = await medianMs(30, async (i) => {
    const page = await core.dispatch('identities.list', {
      search: searches[i % searches.length],
      limit: 100,
      asOf: '2026-11-01',
    });
    if (!page.ok) throw new Error(page.error.message);
  });
  core.close();
  return ms;
}

async function pageQueryMedian(vault: string): Promise<number> {
  const core = createCore({ vaultFolder: vault });
  const unlocked = await core.dispatch('vault.unlock', { passphrase: 'benchmark passphrase only' });
  if (!unlocked.ok) throw new Error(unlocked.error.message);
  const random = lcg(99);
  const times: number[] = [];
  const kinds = ['service-account', 'api-key', 'iam-user', 'ssh-key'];
  for (let i = 0; i < 31; i += 1) {
    const input = {
      kind: kinds[i % kinds.length],
      environment: 'production',
      sort: 'lastUsedAt',
      direction: i % 2 === 0 ? 'asc' : 'desc',
      offset: Math.floor(random() * 5000),
      limit: 100,
      asOf: '2026-11-01',
    };
    const started = process.hrtime.bigint();
    const page = await core.dispatch('identities.list', input);
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (!page.ok) throw new Error(page.error.message);
    if (i > 0) times.push(ms); // the first query warms the page cache
  }
  core.close();
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

/** Which parts to run: `STEWARD_BENCH_ONLY=campaigns,evidence` for a quicker run of some of them. */
const sections = new Set(
  (process.env.STEWARD_BENCH_ONLY ?? 'imports,campaigns,evidence').split(',').map((s) => s.trim()),
);
const campaignRows = Number(process.env.STEWARD_BENCH_CAMPAIGN_ROWS ?? 100_000);

async function main(): Promise<void> {
  mkdirSync(work, { recursive: true });
  if (sections.has('imports')) await benchImports();
  if (sections.has('campaigns')) {
    log(`campaigns: launch, queue and bulk decision over ${campaignRows.toLocaleString('en')} identities…`);
    rows.push(...(await benchCampaigns(work, campaignRows)));
  }
  if (sections.has('evidence')) {
    log('evidence: a signed pack of 10,000 decisions against pdfkit drawing the same table alone…');
    rows.push(...(await benchEvidencePack(work)));
  }
  printTable();
  process.exitCode = rows.every((r) => r.informational || r.pass) ? 0 : 1;
}

async function benchImports(): Promise<void> {
  requireSqlite3();

  const csv = join(work, `inventory-${csvRows}.csv`);
  if (!existsSync(csv)) {
    log(`writing ${csvRows.toLocaleString('en')} rows of a 15-column inventory CSV…`);
    await writeInventoryCsv(csv, csvRows);
  }
  log(`CSV: ${(statSync(csv).size / 1e6).toFixed(0)} MB`);

  log('reference: sqlite3 .import into a plain database…');
  const referenceDb = join(work, 'reference.db');
  const referenceMs = timeSqlite3Import(csv, referenceDb);
  log('floor: the same rows written into a vault by SQLite alone (INSERT … SELECT from that table)…');
  const floorMs = timeSqliteAloneWritingTheVaultRows(work, referenceDb);
  rmSync(referenceDb, { force: true });
  log('Steward: import into an encrypted vault…');
  const csvVault = join(work, 'vault-csv');
  const imported = stewardImportInChild(csvVault, csv);
  if (imported.imported !== csvRows)
    throw new Error(`Steward imported ${imported.imported} of ${csvRows} rows`);
  const csvRatio = imported.ms / referenceMs;
  rows.push({
    operation: `import ${csvRows.toLocaleString('en')}-row CSV (encrypted vs sqlite3 .import plain)`,
    steward: seconds(imported.ms),
    reference: seconds(referenceMs),
    ratio: `${csvRatio.toFixed(2)}x`,
    target: '<= 3x',
    pass: csvRatio <= 3,
  });
  rows.push({
    operation: '  floor: the same rows, indexes and search written by SQLite alone (no parsing, no JS)',
    steward: seconds(floorMs),
    reference: seconds(referenceMs),
    ratio: `${(floorMs / referenceMs).toFixed(2)}x`,
    target: '-',
    pass: true,
    informational: true,
  });
  rows.push({
    operation: 'peak memory of that import',
    steward: `${imported.maxRssMb.toFixed(0)} MB`,
    reference: '-',
    ratio: '-',
    target: '< 400 MB',
    pass: imported.maxRssMb < 400,
  });

  log('inventory page query (filter + sort + page of 100)…');
  const pageMs = await pageQueryMedian(csvVault);
  rows.push({
    operation: `inventory page query on ${csvRows.toLocaleString('en')} identities (median)`,
    steward: `${pageMs.toFixed(1)} ms`,
    reference: '-',
    ratio: '-',
    target: '< 30 ms',
    pass: pageMs < 30,
  });

  log('inventory search (FTS5, page of 100)…');
  const searchMs = await searchMedian(csvVault);
  rows.push({
    operation: `inventory search on ${csvRows.toLocaleString('en')} identities (median)`,
    steward: `${searchMs.toFixed(1)} ms`,
    reference: '-',
    ratio: '-',
    target: '< 30 ms',
    pass: searchMs < 30,
  });

  const xlsx = join(work, `inventory-${xlsxRows}.xlsx`);
  if (!existsSync(xlsx)) {
    log(`writing a ${xlsxRows.toLocaleString('en')}-row XLSX…`);
    await writeXlsx(xlsx, xlsxRows);
  }
  // Each side in a fresh process, taking turns, so that drift on this machine hits both alike.
  log(`XLSX: exceljs' streaming reader alone, then Steward's import, ${XLSX_PAIRS} times each…`);
  const referenceRuns: number[] = [];
  const importRuns: number[] = [];
  for (let pair = 0; pair < XLSX_PAIRS; pair += 1) {
    referenceRuns.push(excelJsReadInChild(xlsx));
    const run = stewardImportInChild(join(work, 'vault-xlsx'), xlsx);
    if (run.imported !== xlsxRows) throw new Error(`Steward imported ${run.imported} of ${xlsxRows} rows`);
    importRuns.push(run.ms);
  }
  const excelMs = median(referenceRuns);
  const xlsxImport = { ms: median(importRuns) };
  const xlsxRatio = xlsxImport.ms / excelMs;
  rows.push({
    operation: `import ${xlsxRows.toLocaleString('en')}-row XLSX (vs exceljs streaming read alone, median of ${XLSX_PAIRS})`,
    steward: seconds(xlsxImport.ms),
    reference: seconds(excelMs),
    ratio: `${xlsxRatio.toFixed(2)}x`,
    target: '<= 1.5x',
    pass: xlsxRatio <= 1.5,
  });
}

function passCell(row: BenchRow): string {
  if (row.informational) return 'info';
  return row.pass ? 'pass' : 'FAIL';
}

function printTable(): void {
  const headers: Array<keyof BenchRow> = ['operation', 'steward', 'reference', 'ratio', 'target', 'pass'];
  const cells = rows.map((row) => headers.map((h) => (h === 'pass' ? passCell(row) : String(row[h]))));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  process.stdout.write(`\n${line(headers.map(String))}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const c of cells) process.stdout.write(`${line(c)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
