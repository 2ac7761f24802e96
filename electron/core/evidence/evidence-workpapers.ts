import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import { AppError } from '../../../shared/api/errors';
import type { Db } from '../db/open-database';
import {
  iterateItems,
  iterateRejects,
  loadEvidenceHeader,
  stageEvidenceItems,
  type EvidenceHeader,
  type EvidenceItem,
} from './evidence-data';
import { ownersText, targetText } from './evidence-pack';

export interface WorkpapersOptions {
  campaignId: number;
  /** Where the workbook goes; written to a temporary file in the same folder, then renamed over it. */
  xlsxPath: string;
  stewardVersion: string;
  generatedAt?: Date;
  /** Read once by the caller for the PDF as well, so both state the same figures. */
  header?: EvidenceHeader;
  onRow?: () => void;
  signal?: AbortSignal;
}

export interface WorkpapersResult {
  xlsxPath: string;
  bytes: number;
  sheets: string[];
  rows: Record<string, number>;
}

export const WORKPAPER_SHEETS = [
  'Summary',
  'Population',
  'Decisions',
  'Revocations',
  'Reassignments',
  'Exceptions',
  'Rejected rows',
] as const;

type CellValue = string | number | boolean | Date | null;

interface SheetColumn {
  header: string;
  width: number;
  /** Date cells: an ISO string becomes a real date with this format. */
  date?: 'datetime' | 'date';
}

const DATETIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';
const DATE_FORMAT = 'yyyy-mm-dd';

function toDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? null : date;
}

class SheetWriter {
  rows = 0;
  private readonly sheet: ExcelJS.Worksheet;

  constructor(
    workbook: ExcelJS.stream.xlsx.WorkbookWriter,
    name: string,
    private readonly columns: SheetColumn[],
  ) {
    const lastColumn = columnLetter(columns.length);
    this.sheet = workbook.addWorksheet(name, {
      views: [{ state: 'frozen', ySplit: 1, xSplit: 0 }],
    });
    this.sheet.columns = columns.map((c, i) => ({
      key: `c${i}`,
      width: c.width,
      ...(c.date ? { style: { numFmt: c.date === 'date' ? DATE_FORMAT : DATETIME_FORMAT } } : {}),
    }));
    this.sheet.autoFilter = `A1:${lastColumn}1`;
    const header = this.sheet.addRow(columns.map((c) => c.header));
    header.font = { bold: true };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE6EBF2' } };
    header.commit();
  }

  /**
   * Text goes in as string cells, which no spreadsheet evaluates, even when it starts with = + - @,
   * a tab or a carriage return (OWASP CSV injection, CWE-1236): exceljs only writes a formula for a
   * `{ formula }` value, and nothing here builds one. The LibreOffice round trip test holds it to that.
   */
  add(values: Array<CellValue | undefined>): void {
    const row = this.sheet.addRow(
      values.map((value, i) => {
        const column = this.columns[i]!;
        if (value === null || value === undefined || value === '') return null;
        if (column.date && typeof value === 'string') return toDate(value) ?? value;
        return value;
      }),
    );
    // A date in a column that is not all dates (the Summary's values) gets its format on the cell.
    values.forEach((value, i) => {
      if (value instanceof Date && !this.columns[i]!.date) {
        const midnight = value.getUTCHours() + value.getUTCMinutes() + value.getUTCSeconds() === 0;
        row.getCell(i + 1).numFmt = midnight ? DATE_FORMAT : DATETIME_FORMAT;
      }
    });
    row.commit();
    this.rows += 1;
  }

  commit(): void {
    this.sheet.commit();
  }
}

function columnLetter(index: number): string {
  let result = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26))
    result = String.fromCharCode(65 + ((n - 1) % 26)) + result;
  return result;
}

/**
 * Writes the campaign's workpapers as an XLSX with the exceljs streaming writer: each row is
 * committed (and flushed to the zip) as it is read from the vault, so the workbook's size does not
 * depend on memory. Sheets: Summary, Population (per snapshot file), Decisions, Revocations,
 * Reassignments, Exceptions, Rejected rows; each with a frozen, filterable header.
 */
export async function writeWorkpapers(db: Db, options: WorkpapersOptions): Promise<WorkpapersResult> {
  const header = options.header ?? loadEvidenceHeader(db, options.campaignId);
  const generatedAt = options.generatedAt ?? new Date();
  const { campaign, counts } = header;
  const temp = join(
    dirname(options.xlsxPath),
    `.${basename(options.xlsxPath)}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const check = () => {
    if (options.signal?.aborted)
      throw new AppError('CANCELLED', 'The evidence export was cancelled. No file was written.');
  };
  try {
    closeSync(openSync(temp, 'wx', 0o600));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new AppError(
      'INVALID_INPUT',
      `The workpapers could not be written to ${options.xlsxPath} (${code}): choose a folder that exists and that you can write to.`,
    );
  }
  const rows: Record<string, number> = {};
  const unstage = stageEvidenceItems(db, campaign.id);
  try {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      filename: temp,
      useStyles: true,
      // Shared strings, not exceljs's inline t="str" cells (a formula's cached result, whose leading tab
      // LibreOffice drops): every text is a plain string, whitespace kept (xml:space="preserve").
      useSharedStrings: true,
    });
    workbook.creator = `Steward ${options.stewardVersion}`;
    workbook.created = generatedAt;
    const onRow = () => {
      options.onRow?.();
    };

    const summary = new SheetWriter(workbook, 'Summary', [
      { header: 'Item', width: 34 },
      { header: 'Value', width: 80 },
    ]);
    const kv: Array<[string, CellValue]> = [
      ['Campaign id', campaign.id],
      ['Campaign', campaign.name],
      ['Period', campaign.period],
      ['As-of date', toDate(campaign.asOf)],
      ['Due', toDate(campaign.due)],
      ['Scope: sources', campaign.scope.sources.join(', ') || 'every source'],
      ['Scope: kinds', campaign.scope.kinds.join(', ') || 'every kind'],
      ['Scope: environments', campaign.scope.environments.join(', ') || 'every environment'],
      ['Scope: signals', campaign.scope.signals.join(', ') || 'any'],
      ['Campaign owner', campaign.owner],
      ['State', campaign.state],
      ['Launched at', toDate(campaign.launchedAt)],
      ['Closed at', toDate(campaign.closedAt)],
      ['Generated at', generatedAt],
      ['Steward version', options.stewardVersion],
      ['Decision log head record', header.logHead.seq],
      ['Decision log head hash', header.logHead.hash],
      ['In scope', counts.inScope],
      ['Certified', counts.certify],
      ['Revoked', counts.revoke],
      ['Reassigned', counts.reassign],
      ['Exceptions', counts.exceptions],
      ['Pending', counts.pending],
      ['Decided + exceptions + pending', counts.decided + counts.exceptions + counts.pending],
      ['Reconciles', counts.inScope === counts.decided + counts.exceptions + counts.pending ? 'yes' : 'NO'],
    ];
    for (const r of header.byReviewer)
      kv.push([
        `Reviewer ${r.reviewer}`,
        `${r.items} items; certify ${r.certify}, revoke ${r.revoke}, reassign ${r.reassign}, exception ${r.exception}, pending ${r.pending}; ${r.signedOffAt ? `signed off ${r.signedOffAt}` : 'not signed off'}`,
      ]);
    for (const [label, value] of kv) summary.add([label, value]);
    summary.commit();
    rows.Summary = summary.rows;

    const population = new SheetWriter(workbook, 'Population', [
      { header: 'Snapshot', width: 10 },
      { header: 'Source', width: 24 },
      { header: 'Source kind', width: 14 },
      { header: 'Format', width: 26 },
      { header: 'Full population', width: 10 },
      { header: 'Latest before launch', width: 10 },
      { header: 'Imported at', width: 20, date: 'datetime' },
      { header: 'Imported by', width: 18 },
      { header: 'Rows read', width: 11 },
      { header: 'Rows imported', width: 11 },
      { header: 'Rows rejected', width: 11 },
      { header: 'Notes', width: 8 },
      { header: 'File', width: 36 },
      { header: 'File bytes', width: 12 },
      { header: 'File SHA-256', width: 68 },
      { header: 'Review items from source', width: 14 },
    ]);
    const itemsBySource = new Map(header.bySource.map((s) => [s.source, s.items]));
    for (const s of header.snapshots) {
      const files = s.files.length > 0 ? s.files : [null];
      for (const file of files)
        population.add([
          s.id,
          s.source,
          s.sourceKind,
          s.preset ?? s.format,
          s.full ? 'yes' : 'no',
          s.latestBeforeLaunch ? 'yes' : 'no',
          s.importedAt,
          s.importedBy,
          s.rowsRead,
          s.imported,
          s.rejected,
          s.notes,
          file?.name,
          file?.bytes,
          file?.sha256,
          itemsBySource.get(s.source) ?? 0,
        ]);
    }
    population.commit();
    rows.Population = population.rows;

    const decisions = new SheetWriter(workbook, 'Decisions', [
      { header: 'Item', width: 8 },
      { header: 'Identity id', width: 10 },
      { header: 'Source', width: 22 },
      { header: 'Kind', width: 16 },
      { header: 'External id', width: 40 },
      { header: 'Name', width: 34 },
      { header: 'Environment', width: 12 },
      { header: 'Identity status', width: 12 },
      { header: 'Description', width: 40 },
      { header: 'Owners (role, status)', width: 48 },
      { header: 'Signals', width: 34 },
      { header: 'High risk', width: 9 },
      { header: 'Reviewer', width: 32 },
      { header: 'Routing rule', width: 18 },
      { header: 'Self review', width: 9 },
      { header: 'Decision', width: 11 },
      { header: 'Revoke target', width: 30 },
      { header: 'New owner', width: 32 },
      { header: 'Justification / reason', width: 60 },
      { header: 'Decided by', width: 32 },
      { header: 'Decided at', width: 20, date: 'datetime' },
      { header: 'Log record', width: 10 },
    ]);
    for (const item of iterateItems(db, campaign.id)) {
      decisions.add([
        item.id,
        item.identityId,
        item.source,
        item.kind,
        item.externalId,
        item.name,
        item.environment,
        item.identityStatus,
        item.description,
        ownersText(item),
        item.signals.map((s) => s.code).join(', '),
        item.highRisk ? 'yes' : 'no',
        item.reviewer,
        item.routingRule,
        item.selfReview ? 'yes' : 'no',
        item.decision,
        targetText(item),
        item.newOwner,
        item.justification,
        item.decidedBy,
        item.decidedAt,
        item.logSeq,
      ]);
      onRow();
      if (decisions.rows % 500 === 0) check();
    }
    decisions.commit();
    rows.Decisions = decisions.rows;

    const subset = (
      name: string,
      decision: EvidenceItem['decision'],
      columns: SheetColumn[],
      row: (item: EvidenceItem) => Array<string | number | null>,
    ) => {
      const sheet = new SheetWriter(workbook, name, columns);
      for (const item of iterateItems(db, campaign.id, decision)) {
        sheet.add(row(item));
        onRow();
      }
      sheet.commit();
      rows[name] = sheet.rows;
      check();
    };
    subset(
      'Revocations',
      'revoke',
      [
        { header: 'Item', width: 8 },
        { header: 'Name', width: 34 },
        { header: 'Source', width: 22 },
        { header: 'External id', width: 40 },
        { header: 'Remove', width: 14 },
        { header: 'Credential / entitlement', width: 34 },
        { header: 'Decided by', width: 32 },
        { header: 'Justification', width: 60 },
        { header: 'Decided at', width: 20, date: 'datetime' },
      ],
      (item) => [
        item.id,
        item.name,
        item.source,
        item.externalId,
        item.target?.type ?? 'identity',
        item.target?.ref ?? null,
        item.decidedBy,
        item.justification,
        item.decidedAt,
      ],
    );
    subset(
      'Reassignments',
      'reassign',
      [
        { header: 'Item', width: 8 },
        { header: 'Name', width: 34 },
        { header: 'Source', width: 22 },
        { header: 'External id', width: 40 },
        { header: 'Old owners (role, status)', width: 48 },
        { header: 'New owner', width: 32 },
        { header: 'Decided by', width: 32 },
        { header: 'Justification', width: 60 },
        { header: 'Decided at', width: 20, date: 'datetime' },
      ],
      (item) => [
        item.id,
        item.name,
        item.source,
        item.externalId,
        ownersText(item),
        item.newOwner,
        item.decidedBy,
        item.justification,
        item.decidedAt,
      ],
    );
    subset(
      'Exceptions',
      'exception',
      [
        { header: 'Item', width: 8 },
        { header: 'Name', width: 34 },
        { header: 'Source', width: 22 },
        { header: 'External id', width: 40 },
        { header: 'Reviewer (undecided)', width: 32 },
        { header: 'Reason', width: 60 },
        { header: 'Carried by', width: 32 },
        { header: 'Carried at', width: 20, date: 'datetime' },
      ],
      (item) => [
        item.id,
        item.name,
        item.source,
        item.externalId,
        item.reviewer,
        item.justification,
        item.decidedBy,
        item.decidedAt,
      ],
    );

    const rejects = new SheetWriter(workbook, 'Rejected rows', [
      { header: 'Snapshot', width: 10 },
      { header: 'Source', width: 22 },
      { header: 'File', width: 36 },
      { header: 'Row', width: 8 },
      { header: 'Kind', width: 10 },
      { header: 'Reason', width: 90 },
    ]);
    for (const r of iterateRejects(
      db,
      header.snapshots.map((s) => s.id),
    ))
      rejects.add([r.snapshotId, r.source, r.file, r.row, r.kind, r.reason]);
    rejects.commit();
    rows['Rejected rows'] = rejects.rows;

    await workbook.commit();
    check();
    const fd = openSync(temp, 'r+');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, options.xlsxPath);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  } finally {
    unstage();
  }
  return {
    xlsxPath: options.xlsxPath,
    bytes: statSync(options.xlsxPath).size,
    sheets: [...WORKPAPER_SHEETS],
    rows,
  };
}
