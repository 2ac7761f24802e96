import { isAscii } from 'node:buffer';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../../../../shared/api/errors';
import { listZipEntryNames } from './zip-inspection';

/**
 * What a file is, from its bytes rather than its name: users rename files, Excel "CSV" can be an
 * .xlsx, and a PNG can be called `.csv`. Text files also get their encoding here (SECURITY.md:
 * BOM sniff, then strict UTF-8, then Windows-1252 through iconv-lite).
 */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252' | 'us-ascii';

export interface SniffedFile {
  path: string;
  /** The base name, as messages show it. */
  name: string;
  size: number;
  format: 'csv' | 'xlsx' | 'json';
  /**
   * Text files only (null for xlsx). `us-ascii` means the sample held only ASCII bytes: the reader
   * then picks UTF-8 or Windows-1252 at the first non-ASCII byte (ASCII reads the same in both).
   */
  encoding: TextEncodingName | null;
  /** Bytes of byte-order mark to skip before the text starts. */
  bomLength: number;
  /** True when the encoding was declared by a byte-order mark rather than inferred. */
  encodingFromBom: boolean;
}

export const SNIFF_SAMPLE_BYTES = 64 * 1024;

interface Signature {
  bytes: readonly number[];
  offset?: number;
  what: string;
}

// Formats people actually hand over by mistake; each message says what the file looks like.
const BINARY_SIGNATURES: readonly Signature[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61], what: 'a GIF image' },
  { bytes: [0x47, 0x49, 0x46, 0x38, 0x37, 0x61], what: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document' },
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file (decompress it first)' },
  // bzip2 is `BZh<level>` then the block magic (the digits of pi): text never starts like that.
  {
    bytes: [0x31, 0x41, 0x59, 0x26, 0x53, 0x59],
    offset: 4,
    what: 'a bzip2-compressed file (decompress it first)',
  },
  { bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], what: 'an xz-compressed file (decompress it first)' },
  { bytes: [0x28, 0xb5, 0x2f, 0xfd], what: 'a zstd-compressed file (decompress it first)' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], what: 'a 7-Zip archive (extract it first)' },
  { bytes: [0x52, 0x61, 0x72, 0x21, 0x1a, 0x07], what: 'a RAR archive (extract it first)' },
  {
    bytes: [0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6f, 0x72, 0x6d, 0x61, 0x74, 0x20, 0x33, 0x00],
    what: 'an SQLite database',
  },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'a Linux program (ELF)' },
  { bytes: [0x49, 0x49, 0x2a, 0x00], what: 'a TIFF image' },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], what: 'a TIFF image' },
  { bytes: [0x52, 0x49, 0x46, 0x46], what: 'a RIFF media file (image, audio or video)' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], what: 'a UTF-32 text file (save it as UTF-8)' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], what: 'a UTF-32 text file (save it as UTF-8)' },
];

const ZIP_LOCAL_HEADER = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_ARCHIVE = [0x50, 0x4b, 0x05, 0x06];
const OLE_COMPOUND_FILE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

export async function sniffFile(path: string): Promise<SniffedFile> {
  const name = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error('not a file');
    size = info.size;
  } catch {
    throw new AppError(
      'INVALID_FILE',
      `${name} cannot be opened. Check that the file exists and that you may read it.`,
    );
  }
  if (size === 0) {
    throw new AppError(
      'INVALID_FILE',
      `${name} is empty (0 bytes). Export the data again and import the new file.`,
    );
  }
  const sample = await readHead(path, SNIFF_SAMPLE_BYTES);
  const base = { path, name, size };

  if (startsWith(sample, ZIP_LOCAL_HEADER) || startsWith(sample, ZIP_EMPTY_ARCHIVE)) {
    await requireWorkbookZip(path, name);
    return { ...base, format: 'xlsx', encoding: null, bomLength: 0, encodingFromBom: false };
  }
  if (startsWith(sample, OLE_COMPOUND_FILE)) throw await oleFileError(path, name);
  for (const signature of BINARY_SIGNATURES) {
    if (startsWith(sample, signature.bytes, signature.offset)) {
      throw new AppError(
        'INVALID_FILE',
        `${name} is ${signature.what}, not a CSV, Excel or JSON export. Choose the export file itself.`,
      );
    }
  }

  if (/\.xls[xmb]?$/i.test(name)) {
    const looks = /^\s*</.test(sample.subarray(0, 512).toString('latin1'))
      ? 'HTML or XML text'
      : 'text or another format';
    throw new AppError(
      'INVALID_FILE',
      `${name} is named like an Excel workbook but is not one (an .xlsx file is a ZIP archive; this is ${looks}). ` +
        'Open it in Excel and save it as .xlsx or CSV, or export it again from the source.',
    );
  }

  const { encoding, bomLength, encodingFromBom } = detectEncoding(sample, size, name);
  const text = decodeSample(sample.subarray(bomLength), encoding);
  const first = /\S/.exec(text);
  const format = first && looksLikeJson(text, first.index) ? 'json' : 'csv';
  return { ...base, format, encoding, bomLength, encodingFromBom };
}

async function readHead(path: string, bytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function startsWith(sample: Buffer, bytes: readonly number[], offset = 0): boolean {
  if (sample.length < offset + bytes.length) return false;
  return bytes.every((byte, index) => sample[offset + index] === byte);
}

async function requireWorkbookZip(path: string, name: string): Promise<void> {
  let names: string[];
  try {
    names = await listZipEntryNames(path, name);
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError(
      'INVALID_FILE',
      `${name} starts like a ZIP archive (an .xlsx is one) but its directory cannot be read: the file is damaged or incomplete. Download or export it again.`,
    );
  }
  const has = (prefix: string) => names.some((entry) => entry.startsWith(prefix));
  if (names.includes('xl/workbook.bin')) {
    throw new AppError(
      'INVALID_FILE',
      `${name} is an Excel Binary Workbook (.xlsb). Open it in Excel and save it as .xlsx or CSV.`,
    );
  }
  if (has('xl/') && names.includes('[Content_Types].xml')) return;
  if (has('word/'))
    throw new AppError(
      'INVALID_FILE',
      `${name} is a Word document, not a spreadsheet. Export the data as .xlsx or CSV.`,
    );
  if (has('ppt/'))
    throw new AppError(
      'INVALID_FILE',
      `${name} is a PowerPoint file, not a spreadsheet. Export the data as .xlsx or CSV.`,
    );
  if (names.includes('content.xml') && names.includes('mimetype')) {
    throw new AppError(
      'INVALID_FILE',
      `${name} is an OpenDocument file (.ods). Save it from LibreOffice as .xlsx or CSV.`,
    );
  }
  throw new AppError(
    'INVALID_FILE',
    `${name} is a ZIP archive, not an Excel workbook. Extract it and import the CSV, XLSX or JSON files inside.`,
  );
}

/**
 * Excel 97-2003 workbooks and password-protected .xlsx files are both OLE compound files; the latter
 * holds an `EncryptedPackage` stream, whose name is stored in UTF-16LE in the compound file's directory.
 */
async function oleFileError(path: string, name: string): Promise<AppError> {
  if (await fileContains(path, Buffer.from('EncryptedPackage', 'utf16le'))) {
    return new AppError(
      'INVALID_FILE',
      `${name} is a password-protected Excel workbook. Steward cannot read encrypted workbooks: open it in Excel, ` +
        'remove the password (File > Info > Protect Workbook) or save an unprotected copy, and import that.',
    );
  }
  return new AppError(
    'INVALID_FILE',
    `${name} is a legacy Excel 97-2003 workbook (.xls) or another old Office file. Open it in Excel and save it as .xlsx or CSV.`,
  );
}

const OLE_SCAN_LIMIT = 256 * 1024 * 1024;

async function fileContains(path: string, needle: Buffer): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    let carry = Buffer.alloc(0);
    for (let position = 0; position < OLE_SCAN_LIMIT;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) return false;
      const window = Buffer.concat([carry, chunk.subarray(0, bytesRead)]);
      if (window.includes(needle)) return true;
      carry = Buffer.from(window.subarray(Math.max(0, window.length - needle.length + 1)));
      position += bytesRead;
    }
    return false;
  } finally {
    await handle.close();
  }
}

function detectEncoding(
  sample: Buffer,
  size: number,
  name: string,
): { encoding: TextEncodingName; bomLength: number; encodingFromBom: boolean } {
  if (startsWith(sample, [0xef, 0xbb, 0xbf]))
    return { encoding: 'utf-8', bomLength: 3, encodingFromBom: true };
  if (startsWith(sample, [0xff, 0xfe])) return { encoding: 'utf-16le', bomLength: 2, encodingFromBom: true };
  if (startsWith(sample, [0xfe, 0xff])) return { encoding: 'utf-16be', bomLength: 2, encodingFromBom: true };

  if (sample.includes(0)) {
    const utf16 = utf16WithoutBom(sample);
    if (utf16) return { encoding: utf16, bomLength: 0, encodingFromBom: false };
    throw new AppError(
      'INVALID_FILE',
      `${name} is a binary file (it contains NUL bytes), not a CSV, Excel or JSON export. Choose the export file itself.`,
    );
  }
  if (controlCharacterShare(sample) > 0.01) {
    throw new AppError(
      'INVALID_FILE',
      `${name} looks like a binary file (it is full of control characters), not a CSV, Excel or JSON export. Choose the export file itself.`,
    );
  }
  if (isAscii(sample)) return { encoding: 'us-ascii', bomLength: 0, encodingFromBom: false };
  // `stream: true` lets a multi-byte character cut at the end of the sample wait for bytes that never come.
  const wholeFile = sample.length >= size;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: !wholeFile });
    return { encoding: 'utf-8', bomLength: 0, encodingFromBom: false };
  } catch {
    return { encoding: 'windows-1252', bomLength: 0, encodingFromBom: false };
  }
}

/** Text saved as UTF-16 without a BOM is mostly ASCII, so every other byte is NUL. */
function utf16WithoutBom(sample: Buffer): 'utf-16le' | 'utf-16be' | null {
  const pairs = Math.min(512, Math.floor(sample.length / 2));
  if (pairs < 2) return null;
  let evenZero = 0;
  let oddZero = 0;
  for (let index = 0; index < pairs; index += 1) {
    if (sample[index * 2] === 0) evenZero += 1;
    if (sample[index * 2 + 1] === 0) oddZero += 1;
  }
  if (oddZero >= pairs * 0.6 && evenZero === 0) return 'utf-16le';
  if (evenZero >= pairs * 0.6 && oddZero === 0) return 'utf-16be';
  return null;
}

function controlCharacterShare(sample: Buffer): number {
  let control = 0;
  for (const byte of sample) {
    // TAB, LF, VT, FF, CR and ESC occur in text; the rest of C0 does not.
    if (
      byte < 0x20 &&
      byte !== 0x09 &&
      byte !== 0x0a &&
      byte !== 0x0b &&
      byte !== 0x0c &&
      byte !== 0x0d &&
      byte !== 0x1b
    ) {
      control += 1;
    }
  }
  return control / Math.max(1, sample.length);
}

function decodeSample(bytes: Buffer, encoding: TextEncodingName): string {
  switch (encoding) {
    case 'utf-16le':
      return bytes.subarray(0, bytes.length - (bytes.length % 2)).toString('utf16le');
    case 'utf-16be': {
      const even = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
      return even.swap16().toString('utf16le');
    }
    case 'utf-8':
      return new TextDecoder('utf-8').decode(bytes, { stream: true });
    default:
      // Only the structure matters here: ASCII and Windows-1252 agree on every structural character.
      return bytes.toString('latin1');
  }
}

/** `{` starts JSON; `[` does when what follows is a JSON value, not a bracketed CSV header like `[Name]`. */
function looksLikeJson(text: string, index: number): boolean {
  if (text[index] === '{') return true;
  if (text[index] !== '[') return false;
  const next = /\S/.exec(text.slice(index + 1, index + 200));
  if (!next) return true;
  const rest = text.slice(index + 1 + next.index);
  return /^(?:[{["\]\-\d]|true\b|false\b|null\b)/.test(rest);
}
