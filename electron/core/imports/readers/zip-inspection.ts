import { open as openFile } from 'node:fs/promises';
import { PassThrough, type Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { AppError } from '../../../../shared/api/errors';

/**
 * An .xlsx is a ZIP of XML files, and exceljs inflates whatever it is given (SECURITY.md: a 2.9 MB
 * bomb took it to 1.2 GB). So before exceljs sees a workbook, this module:
 *
 * 1. reads the central directory and refuses more than `maxEntries` entries, a declared total above
 *    `maxTotalBytes` or a compression ratio above `maxRatio`;
 * 2. checks that the local entries sit back to back exactly where the directory says, so a streaming
 *    unzipper (exceljs reads local headers in file order, not the directory) sees no hidden entry;
 * 3. inflates every entry once, failing as soon as an entry inflates past its declared size: the
 *    declared sizes checked in step 1 are then the real ones (a worksheet over 1 MiB only until it
 *    shows a value: `openWorkbookArchive` checks the rest of the one sheet that is read, as it is
 *    read, before exceljs parses any of it);
 * 4. on the way, refuses XML with a DOCTYPE (entity declarations: XXE, "billion laughs"), which
 *    Excel never writes, and notes which worksheets hold any value, to pick the default sheet.
 */
export interface ZipLimits {
  maxEntries: number;
  maxTotalBytes: number;
  maxRatio: number;
}

export const XLSX_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 200 * 1024 * 1024,
  maxRatio: 100,
};

export interface WorkbookSheet {
  name: string;
  state: 'visible' | 'hidden' | 'veryHidden';
  /** The worksheet's part in the zip, e.g. `xl/worksheets/sheet1.xml`; null for chart sheets and the like. */
  part: string | null;
  /** True when the worksheet holds at least one cell value. */
  hasData: boolean;
}

export interface WorkbookInspection {
  sheets: WorkbookSheet[];
  entries: number;
  uncompressedBytes: number;
}

/** Entries below this size may compress very well (an empty styled sheet) without being a bomb. */
const RATIO_CHECK_MIN_BYTES = 1024 * 1024;
const KEPT_PART_MAX_BYTES = 8 * 1024 * 1024;
const KEPT_PARTS = ['xl/workbook.xml', 'xl/_rels/workbook.xml.rels', '[Content_Types].xml'];

export async function listZipEntryNames(
  path: string,
  name: string,
  limits = XLSX_ZIP_LIMITS,
): Promise<string[]> {
  const zip = await openZip(path, name);
  try {
    return (await readDirectory(zip, name, limits)).map((entry) => entry.fileName);
  } finally {
    zip.close();
  }
}

export async function inspectWorkbookZip(
  path: string,
  name: string,
  limits: ZipLimits = XLSX_ZIP_LIMITS,
): Promise<WorkbookInspection> {
  const zip = await openZip(path, name);
  try {
    const entries = await readDirectory(zip, name, limits);
    const declared = checkDeclaredSizes(entries, name, limits);
    refuseMacroWorkbook(entries, name);
    await checkEntriesAreContiguous(path, zip, entries, name);
    const { kept, sheetsWithData } = await inflateEverything(zip, entries, name);
    refuseMacroContentTypes(kept.get('[Content_Types].xml') ?? '', name);
    const sheets = sheetsOf(kept, sheetsWithData, name);
    return { sheets, entries: entries.length, uncompressedBytes: declared };
  } finally {
    zip.close();
  }
}

/** A workbook's parts by name, each opened as UTF-8 text; for a workbook that passed its inspection. */
export interface WorkbookArchive {
  has(part: string): boolean;
  /**
   * The part as text. Decoded by one decoder across chunks: a character whose bytes straddle two
   * inflated chunks stays whole (decoding chunk by chunk, as exceljs does, breaks it in two).
   */
  text(part: string): Promise<Readable>;
  close(): void;
}

export async function openWorkbookArchive(path: string, name: string): Promise<WorkbookArchive> {
  const zip = await openZip(path, name);
  try {
    const entries = new Map(
      (await readDirectory(zip, name, XLSX_ZIP_LIMITS)).map((entry) => [entry.fileName, entry]),
    );
    return {
      has: (part) => entries.has(part),
      text: async (part) => {
        const entry = entries.get(part);
        if (!entry)
          throw new AppError(
            'INVALID_FILE',
            `${name} has no part ${part}. Save the workbook again from Excel.`,
          );
        // The part passes the inspection's checks again as it is read: a large sheet was inspected
        // only until it showed data.
        const checks = partChecks(entry, name);
        const checked = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            try {
              checks.check(chunk);
              done(null, chunk);
            } catch (error) {
              done(error as Error);
            }
          },
          flush(done) {
            try {
              checks.end();
              done();
            } catch (error) {
              done(error as Error);
            }
          },
        });
        const inflated = await openInflated(zip, entry, PARSE_CHUNK_BYTES);
        inflated.on('error', (error) =>
          checked.destroy(error instanceof AppError ? error : unpackedWrongly(entry, name, error.message)),
        );
        checked.on('close', () => inflated.destroy());
        const stream = inflated.pipe(checked);
        stream.setEncoding('utf8');
        return stream;
      },
      close: () => zip.close(),
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}

async function openZip(path: string, name: string): Promise<ZipFile> {
  try {
    return await yauzl.openPromise(path, {
      lazyEntries: true,
      autoClose: false,
      validateEntrySizes: true,
      strictFileNames: false,
    });
  } catch (error) {
    throw new AppError(
      'INVALID_FILE',
      `${name} is not a readable Excel workbook: an .xlsx file is a ZIP archive, and this one cannot be opened ` +
        `(${(error as Error).message}). Open it in Excel and save it again as .xlsx, or export it as CSV.`,
    );
  }
}

async function readDirectory(zip: ZipFile, name: string, limits: ZipLimits): Promise<Entry[]> {
  if (zip.entryCount > limits.maxEntries) {
    throw new AppError(
      'INVALID_FILE',
      `${name} holds ${zip.entryCount} files inside; a workbook has a few dozen and Steward refuses more than ` +
        `${limits.maxEntries}. Save the data as a plain .xlsx or CSV.`,
    );
  }
  const entries: Entry[] = [];
  try {
    for await (const entry of zip.eachEntry()) entries.push(entry);
  } catch (error) {
    throw new AppError(
      'INVALID_FILE',
      `${name} is a damaged ZIP archive (${(error as Error).message}). Save or export the workbook again.`,
    );
  }
  return entries;
}

function checkDeclaredSizes(entries: readonly Entry[], name: string, limits: ZipLimits): number {
  let uncompressed = 0;
  let compressed = 0;
  for (const entry of entries) {
    if (entry.isEncrypted()) {
      throw new AppError(
        'INVALID_FILE',
        `${name} is an encrypted ZIP archive. Save the workbook without a password and import it again.`,
      );
    }
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      throw new AppError(
        'INVALID_FILE',
        `${name} uses a ZIP compression method (${entry.compressionMethod}) that Excel does not write. Save it again from Excel as .xlsx.`,
      );
    }
    uncompressed += entry.uncompressedSize;
    compressed += entry.compressedSize;
  }
  if (uncompressed > limits.maxTotalBytes) {
    throw bomb(name, `its contents would expand to ${mib(uncompressed)}`, limits);
  }
  for (const entry of entries) {
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > RATIO_CHECK_MIN_BYTES && ratio > limits.maxRatio) {
      throw bomb(name, `${entry.fileName} expands ${Math.round(ratio)} times`, limits);
    }
  }
  const ratio = uncompressed / Math.max(1, compressed);
  if (uncompressed > RATIO_CHECK_MIN_BYTES && ratio > limits.maxRatio) {
    throw bomb(name, `its contents expand ${Math.round(ratio)} times`, limits);
  }
  return uncompressed;
}

function bomb(name: string, what: string, limits: ZipLimits): AppError {
  return new AppError(
    'INVALID_FILE',
    `${name} was not opened: ${what}, beyond Steward's limits for a workbook (${mib(limits.maxTotalBytes)} ` +
      `unpacked, ${limits.maxRatio}:1 compression). This is how "zip bombs" look. If the workbook is genuine, ` +
      'export the data as CSV instead.',
  );
}

function mib(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

function refuseMacroWorkbook(entries: readonly Entry[], name: string): void {
  if (entries.some((entry) => /^xl\/vbaProject\.bin$/i.test(entry.fileName))) throw macroWorkbook(name);
}

function refuseMacroContentTypes(contentTypes: string, name: string): void {
  if (/macroEnabled/i.test(contentTypes)) throw macroWorkbook(name);
}

function macroWorkbook(name: string): AppError {
  return new AppError(
    'INVALID_FILE',
    `${name} is a macro-enabled workbook (.xlsm). Steward does not open workbooks that carry macros: ` +
      'open it in Excel, save a copy as "Excel Workbook (.xlsx)" or CSV, and import that.',
  );
}

const DATA_DESCRIPTOR_SIZES = [12, 16, 20, 24];

async function checkEntriesAreContiguous(
  path: string,
  zip: ZipFile,
  entries: readonly Entry[],
  name: string,
): Promise<void> {
  const centralDirectoryOffset = await readCentralDirectoryOffset(path, name);
  const ordered = [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader);
  let expected = 0;
  let previousHadDescriptor = false;
  for (const entry of [...ordered, null]) {
    const offset = entry ? entry.relativeOffsetOfLocalHeader : centralDirectoryOffset;
    const gap = offset - expected;
    const fits = gap === 0 || (previousHadDescriptor && DATA_DESCRIPTOR_SIZES.includes(gap));
    if (!fits) {
      throw new AppError(
        'INVALID_FILE',
        `${name} has ${gap > 0 ? 'data hidden between' : 'overlapping'} the files of its ZIP archive, which ` +
          'Excel never writes. Steward does not open it; save the workbook again from Excel or export CSV.',
      );
    }
    if (!entry) break;
    const header = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
    expected = header.fileDataStart + entry.compressedSize;
    previousHadDescriptor = (entry.generalPurposeBitFlag & 0x8) !== 0;
  }
}

/** The End Of Central Directory record sits in the last 22 + 65535 (comment) bytes. */
async function readCentralDirectoryOffset(path: string, name: string): Promise<number> {
  const handle = await openFile(path, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 22 + 0xffff);
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    for (let index = length - 22; index >= 0; index -= 1) {
      if (tail.readUInt32LE(index) === 0x06054b50) {
        const offset = tail.readUInt32LE(index + 16);
        if (offset === 0xffffffff) break;
        return offset;
      }
    }
  } finally {
    await handle.close();
  }
  throw new AppError(
    'INVALID_FILE',
    `${name} uses a ZIP64 or damaged archive directory, which a workbook under 4 GiB never needs. Save it again from Excel.`,
  );
}

const DOCTYPE = Buffer.from('<!DOCTYPE');
const ENTITY = Buffer.from('<!ENTITY');
const VALUE_MARKERS = [Buffer.from('<v>'), Buffer.from('<v '), Buffer.from('<is>')];
const CARRY_BYTES = 16;

/**
 * Sheets larger than this are inspected only until they show a value (to know they hold data): the
 * rest is checked as it is read (`openWorkbookArchive`), and only the sheet an import chooses is
 * ever read. Inflating a 100,000-row sheet twice cost every such import a quarter of a second.
 */
const SHEET_PREFIX_BYTES = 1024 * 1024;

/**
 * The checks every inflated part passes, chunk by chunk: no more bytes than its directory declares,
 * exactly that many in the end, and no DOCTYPE or entity declaration in XML.
 */
function partChecks(entry: Entry, name: string): { check(chunk: Buffer): Buffer; end(): void } {
  const isXml = /\.(?:xml|rels|vml)$/i.test(entry.fileName);
  let inflatedBytes = 0;
  let carry = Buffer.alloc(0);
  return {
    /** Checks one chunk and returns it with the bytes before it that a marker may span. */
    check(chunk) {
      inflatedBytes += chunk.length;
      if (inflatedBytes > entry.uncompressedSize)
        throw unpackedWrongly(entry, name, `it inflates past the ${entry.uncompressedSize} bytes declared`);
      const window = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      if (isXml && (window.includes(DOCTYPE) || window.includes(ENTITY))) {
        throw new AppError(
          'INVALID_FILE',
          `${name} was not opened: its part ${entry.fileName} declares XML entities (a DOCTYPE), which Excel never ` +
            'writes and which can be used to read local files or exhaust memory. Export the data again from the source.',
        );
      }
      carry = Buffer.from(window.subarray(Math.max(0, window.length - CARRY_BYTES)));
      return window;
    },
    end() {
      if (inflatedBytes !== entry.uncompressedSize)
        throw unpackedWrongly(
          entry,
          name,
          `it inflates to ${inflatedBytes} bytes, not the ${entry.uncompressedSize} declared`,
        );
    },
  };
}

function unpackedWrongly(entry: Entry, name: string, detail: string): AppError {
  return new AppError(
    'INVALID_FILE',
    `${name} was not opened: its part ${entry.fileName} does not unpack as its directory says ` +
      `(${detail}). The file is damaged or crafted; save the workbook again from Excel or export CSV.`,
  );
}

async function inflateEverything(
  zip: ZipFile,
  entries: readonly Entry[],
  name: string,
): Promise<{ kept: Map<string, string>; sheetsWithData: Set<string> }> {
  const kept = new Map<string, string>();
  const sheetsWithData = new Set<string>();
  for (const entry of entries) {
    if (entry.fileName.endsWith('/')) continue;
    const keep = KEPT_PARTS.includes(entry.fileName) && entry.uncompressedSize <= KEPT_PART_MAX_BYTES;
    const isSheet = /^xl\/worksheets\/[^/]+\.xml$/i.test(entry.fileName);
    const prefixOnly = isSheet && entry.uncompressedSize > SHEET_PREFIX_BYTES;
    const checks = partChecks(entry, name);
    const pieces: Buffer[] = [];
    let complete = true;
    try {
      const stream = await openInflated(zip, entry);
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        const window = checks.check(chunk);
        if (keep) pieces.push(chunk);
        if (
          isSheet &&
          !sheetsWithData.has(entry.fileName) &&
          VALUE_MARKERS.some((marker) => window.includes(marker))
        )
          sheetsWithData.add(entry.fileName);
        if (prefixOnly && sheetsWithData.has(entry.fileName)) {
          complete = false;
          break;
        }
      }
      if (complete) checks.end();
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw unpackedWrongly(entry, name, (error as Error).message);
    }
    if (keep) kept.set(entry.fileName, Buffer.concat(pieces).toString('utf8'));
  }
  return { kept, sheetsWithData };
}

/**
 * Inflater output per chunk. zlib's default (16 KiB) made the inspection of a 100,000-row sheet
 * (87 MB of XML) thousands of round trips to the thread pool, with the importing thread idle for
 * most of its 0.5 s; yauzl's own inflater cannot be given another size.
 */
const INFLATE_CHUNK_BYTES = 256 * 1024;

/**
 * Inflater output per chunk for a part exceljs parses. exceljs gathers the XML events of a whole
 * chunk before it hands them on, so bigger chunks keep more objects alive through each garbage
 * collection: a 100,000-row sheet read in 2.5 s with 64 KiB, 2.8 s with 16 KiB and 3.2-4.7 s with
 * 256 KiB chunks.
 */
const PARSE_CHUNK_BYTES = 64 * 1024;

/**
 * The entry's bytes, inflated when they are deflated. yauzl's own stream of the archive is never
 * destroyed while it reads: it would then run a read it had queued against a closed file and throw
 * outside any handler, taking the process down. So when the reader stops early (a cancel, a refused
 * part, a sheet inspected only until it shows data) the inflater goes, and the entry's remaining
 * compressed bytes are read to their end and dropped.
 */
async function openInflated(
  zip: ZipFile,
  entry: Entry,
  chunkBytes: number = INFLATE_CHUNK_BYTES,
): Promise<Readable> {
  const raw =
    entry.compressionMethod === 8
      ? await zip.openReadStreamPromise(entry, { decompress: false })
      : await zip.openReadStreamPromise(entry);
  const bytes =
    entry.compressionMethod === 8
      ? createInflateRaw({ chunkSize: chunkBytes })
      : new PassThrough({ highWaterMark: chunkBytes });
  raw.on('error', (error) => bytes.destroy(error));
  bytes.on('close', () => {
    raw.unpipe(bytes);
    raw.resume();
  });
  return raw.pipe(bytes);
}

function sheetsOf(kept: Map<string, string>, sheetsWithData: Set<string>, name: string): WorkbookSheet[] {
  const workbook = kept.get('xl/workbook.xml');
  if (!workbook) {
    throw new AppError(
      'INVALID_FILE',
      `${name} has no workbook part (xl/workbook.xml), so it is not a complete Excel workbook. Save it again from Excel.`,
    );
  }
  const targets = new Map<string, string>();
  for (const tag of elements(kept.get('xl/_rels/workbook.xml.rels') ?? '', 'Relationship')) {
    const id = attribute(tag, 'Id');
    const target = attribute(tag, 'Target');
    if (id && target) targets.set(id, resolvePart(target));
  }
  const sheets: WorkbookSheet[] = [];
  for (const tag of elements(workbook, 'sheet')) {
    const sheetName = attribute(tag, 'name');
    if (sheetName === null) continue;
    // The relationship id attribute is `r:id` in practice, but the prefix is whatever the file declares.
    const relationId = attributesOf(tag).find(([key]) => key.endsWith(':id'))?.[1] ?? null;
    const part = relationId ? (targets.get(relationId) ?? null) : null;
    const state = attribute(tag, 'state');
    sheets.push({
      name: sheetName,
      state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
      part: part && /^xl\/worksheets\/sheet\d+\.xml$/i.test(part) ? part : null,
      hasData: part !== null && sheetsWithData.has(part),
    });
  }
  return sheets;
}

function resolvePart(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts: string[] = ['xl'];
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.' && piece !== '') parts.push(piece);
  }
  return parts.join('/');
}

/** Start tags named `localName`, in any namespace prefix. */
function elements(xml: string, localName: string): string[] {
  const found: string[] = [];
  for (const match of xml.matchAll(/<([\w:.-]+)[^>]*>/g)) {
    const tagName = match[1]!;
    if (tagName === localName || tagName.endsWith(`:${localName}`)) found.push(match[0]);
  }
  return found;
}

function attributesOf(tag: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const match of tag.matchAll(/\s([\w:.-]+)\s*=\s*("[^"]*"|'[^']*')/g)) {
    pairs.push([match[1]!, decodeXmlText(match[2]!.slice(1, -1))]);
  }
  return pairs;
}

function attribute(tag: string, attributeName: string): string | null {
  return attributesOf(tag).find(([key]) => key === attributeName)?.[1] ?? null;
}

function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[lower] ?? '';
  });
}
