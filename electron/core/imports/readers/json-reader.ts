import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { z } from 'zod';
import { AppError } from '../../../../shared/api/errors';
import { parseIsoDateTime } from '../iso-date';
import type { DocumentFile } from '../preset-types';

/**
 * Reads one JSON export into a `DocumentFile`, treating it as untrusted (SECURITY.md, "Untrusted
 * files"): a size cap, a nesting cap checked before `JSON.parse` (10^5-deep JSON parses, then
 * recursive code throws later), BOM/UTF-16 handling, positions in words for broken files, and no
 * `__proto__` keys in the result so a later merge cannot reach a prototype.
 */
export const DEFAULT_MAX_JSON_BYTES = 256 * 1024 * 1024;
export const MAX_JSON_DEPTH = 64;

export interface ReadJsonOptions {
  maxBytes?: number;
  /** The name presets and rejects will see; defaults to the file's base name. */
  name?: string;
}

export async function readJsonDocument(path: string, options: ReadJsonOptions = {}): Promise<DocumentFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_JSON_BYTES;
  const name = options.name ?? basename(path);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    throw new AppError(
      'INVALID_FILE',
      `${name} cannot be opened. Check that the file exists and is readable.`,
    );
  }
  if (size > maxBytes) throw tooLarge(name, size, maxBytes);
  const bytes = await readFile(path);
  // The file may have grown between stat and read.
  if (bytes.length > maxBytes) throw tooLarge(name, bytes.length, maxBytes);
  return { name, json: parseJsonText(decodeJsonBytes(bytes, name), name) };
}

function tooLarge(name: string, size: number, maxBytes: number): AppError {
  return new AppError(
    'INVALID_FILE',
    `${name} is ${formatMiB(size)}; Steward reads JSON files up to ${formatMiB(maxBytes)}. ` +
      'Export it in pages (most APIs page their lists) and import the pages together.',
  );
}

function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(bytes < 1024 * 1024 ? 2 : 0)} MiB`;
}

const MAGIC_NUMBERS: ReadonlyArray<{ bytes: number[]; what: string }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an .xlsx or .zip file?)' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x1f, 0x8b], what: 'a gzip-compressed file (decompress it first)' },
];

/** Turns file bytes into text: BOM sniffing, UTF-16 either way, otherwise strict UTF-8 (RFC 8259). */
export function decodeJsonBytes(bytes: Uint8Array, name: string): string {
  const magic = MAGIC_NUMBERS.find((m) => m.bytes.every((b, i) => bytes[i] === b));
  if (magic)
    throw new AppError('INVALID_FILE', `${name} is ${magic.what}, not a JSON export. Choose the JSON file.`);
  if (startsWith(bytes, [0x00, 0x00, 0xfe, 0xff]) || startsWith(bytes, [0xff, 0xfe, 0x00, 0x00])) {
    throw new AppError(
      'INVALID_FILE',
      `${name} is UTF-32 text, which Steward does not read. Save it as UTF-8.`,
    );
  }
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return decodeStrict(bytes.subarray(3), 'utf-8', name);
  if (startsWith(bytes, [0xff, 0xfe])) return decodeStrict(bytes.subarray(2), 'utf-16le', name);
  if (startsWith(bytes, [0xfe, 0xff]))
    return decodeStrict(swapByteOrder(bytes.subarray(2)), 'utf-16le', name);
  // Without a BOM, JSON text starts with an ASCII character, so a zero byte next to it gives UTF-16 away.
  if (bytes.length >= 2 && bytes[0] !== 0 && bytes[1] === 0) return decodeStrict(bytes, 'utf-16le', name);
  if (bytes.length >= 2 && bytes[0] === 0 && bytes[1] !== 0) {
    return decodeStrict(swapByteOrder(bytes), 'utf-16le', name);
  }
  return decodeStrict(bytes, 'utf-8', name);
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

function swapByteOrder(bytes: Uint8Array): Uint8Array {
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    swapped[i] = bytes[i + 1]!;
    swapped[i + 1] = bytes[i]!;
  }
  return swapped;
}

function decodeStrict(bytes: Uint8Array, encoding: 'utf-8' | 'utf-16le', name: string): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    const label = encoding === 'utf-8' ? 'UTF-8' : 'UTF-16';
    throw new AppError(
      'INVALID_FILE',
      `${name} is not valid ${label} text. JSON exports are UTF-8: export it again, or save it as UTF-8 in an editor.`,
    );
  }
}

/** Parses JSON text after the depth check; throws AppError('INVALID_FILE') with line and column on errors. */
export function parseJsonText(text: string, name: string): unknown {
  if (text.trim() === '')
    throw new AppError('INVALID_FILE', `${name} is empty. Export it again from the source.`);
  const tooDeep = firstPositionDeeperThan(text, MAX_JSON_DEPTH);
  if (tooDeep !== null) {
    const { line, column } = lineAndColumn(text, tooDeep);
    throw new AppError(
      'INVALID_FILE',
      `${name} nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep (line ${line}, column ${column}). ` +
        'No export Steward reads is that deep: check that this is the right file.',
    );
  }
  try {
    // A key can only spell __proto__ with those letters or with \u escapes: skip the slower reviver otherwise.
    return text.includes('proto') || text.includes('\\u')
      ? JSON.parse(text, dropProtoKeys)
      : JSON.parse(text);
  } catch (error) {
    const located = locateSyntaxError(text) ?? positionFromEngine(error);
    let what = 'it could not be parsed';
    if (located) {
      const { line, column } = lineAndColumn(text, located.index);
      what = `${located.problem} at line ${line}, column ${column}`;
    }
    throw new AppError(
      'INVALID_FILE',
      `${name} is not valid JSON: ${what}. ` +
        'If it was edited by hand, fix it there; otherwise export it again from the source.',
    );
  }
}

function dropProtoKeys(key: string, value: unknown): unknown {
  // Returning undefined deletes the property: a later merge or Object.assign can never hit the setter.
  return key === '__proto__' ? undefined : value;
}

/** Index of the first bracket that opens level `maxDepth + 1`, counting only outside strings; null if none. */
function firstPositionDeeperThan(text: string, maxDepth: number): number | null {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      depth++;
      if (depth > maxDepth) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return null;
}

export function lineAndColumn(text: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index && i < text.length; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: index - lineStart + 1 };
}

function positionFromEngine(error: unknown): { index: number; problem: string } | null {
  const match = error instanceof Error ? /at position (\d+)/.exec(error.message) : null;
  return match ? { index: Number(match[1]), problem: 'unexpected text' } : null;
}

class SyntaxProblem {
  constructor(
    readonly index: number,
    readonly problem: string,
  ) {}
}

/**
 * V8 names no position for some errors ("Unexpected token '}'") and quotes the text instead, so the
 * failing path re-reads the text with a small validator that says where and what. Its recursion is
 * bounded: the depth check above already ran.
 */
export function locateSyntaxError(text: string): { index: number; problem: string } | null {
  let i = 0;
  const n = text.length;
  const fail = (problem: string): never => {
    throw new SyntaxProblem(i, problem);
  };
  const skipWhitespace = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
      else break;
    }
  };
  const describe = (): string => (i >= n ? 'the end of the file' : `'${text[i]}'`);
  const parseString = () => {
    i++;
    for (;;) {
      if (i >= n) fail('a string is not closed before the end of the file');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c === 0x5c) {
        const next = text[i + 1];
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('a \\u escape needs four hex digits');
          i += 6;
        } else if (next !== undefined && '"\\/bfnrt'.includes(next)) i += 2;
        else fail('an invalid escape (\\' + (next ?? '') + ') in a string');
      } else if (c < 0x20) fail('a line break or control character inside a string (it must be escaped)');
      else i++;
    }
  };
  const isDigit = (at: number) => at < n && text.charCodeAt(at) >= 0x30 && text.charCodeAt(at) <= 0x39;
  const digits = () => {
    if (!isDigit(i)) fail('an invalid number');
    while (isDigit(i)) i++;
  };
  const parseNumber = () => {
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else digits();
    if (text[i] === '.') {
      i++;
      digits();
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      digits();
    }
  };
  const parseValue = (): void => {
    skipWhitespace();
    const c = text[i];
    if (c === '{') return parseContainer('}');
    if (c === '[') return parseContainer(']');
    if (c === '"') return parseString();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return;
      }
    }
    if (c === '-' || isDigit(i)) return parseNumber();
    fail(`${describe()} where a value should be`);
  };
  const parseContainer = (close: '}' | ']'): void => {
    i++;
    skipWhitespace();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      skipWhitespace();
      if (close === '}') {
        if (text[i] !== '"') fail(`${describe()} where a "quoted" property name should be`);
        parseString();
        skipWhitespace();
        if (text[i] !== ':') fail(`${describe()} where ':' should follow a property name`);
        i++;
      }
      parseValue();
      skipWhitespace();
      if (text[i] === ',') {
        i++;
        skipWhitespace();
        if (text[i] === close) fail(`a trailing comma before '${close}'`);
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`${describe()} where ',' or '${close}' should be`);
    }
  };
  try {
    parseValue();
    skipWhitespace();
    if (i < n) fail('more text after the end of the JSON value');
    return null;
  } catch (error) {
    if (error instanceof SyntaxProblem) return { index: error.index, problem: error.problem };
    throw error;
  }
}

// ---- Helpers for presets that read JSON documents ----

export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A one-line description of a document's shape, for "not recognised" messages. Never prints values. */
export function describeJsonShape(json: unknown): string {
  if (Array.isArray(json)) {
    if (json.length === 0) return 'an empty array';
    const first = json[0];
    if (isJsonObject(first)) return `an array of ${json.length} objects with keys ${listKeys(first)}`;
    return `an array of ${json.length} ${first === null ? 'null' : typeof first} values`;
  }
  if (isJsonObject(json)) return `an object with keys ${listKeys(json)}`;
  return `a single ${json === null ? 'null' : typeof json} value`;
}

function listKeys(object: Record<string, unknown>): string {
  const keys = Object.keys(object);
  if (keys.length === 0) return '(none)';
  const shown = keys.slice(0, 8).join(', ');
  return keys.length > 8 ? `${shown}, … (${keys.length} in all)` : shown;
}

/** Zod issues as words for a reject reason ("'id' is missing; 'enabled' should be boolean"), never values. */
export function describeSchemaProblems(error: z.ZodError, input: unknown): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const field = issue.path.length > 0 ? `'${issue.path.join('.')}'` : 'the item';
      const value = valueAt(input, issue.path);
      if (value === undefined) return `${field} is missing`;
      if (value === null) return `${field} is null`;
      if (issue.code === 'invalid_type') return `${field} should be ${issue.expected}, not ${kindOf(value)}`;
      if (issue.code === 'invalid_union') return `${field} has an unexpected ${kindOf(value)} value`;
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Object.prototype.hasOwnProperty.call(current, key)
      ? (current as Record<PropertyKey, unknown>)[key]
      : undefined;
  }
  return current;
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'array' : typeof value;
}

/** An ISO-8601 string from the source as a UTC ISO string; null for absent or unparseable values. */
export function isoDateOrNull(value: string | null | undefined): string | null {
  return typeof value === 'string' && value.trim() !== '' ? parseIsoDateTime(value) : null;
}
