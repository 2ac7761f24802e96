import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { z } from 'zod';
import {
  MAX_JSON_DEPTH,
  describeSchemaProblems,
  locateSyntaxError,
  parseJsonText,
  readJsonDocument,
} from '../../../electron/core/imports/readers/json-reader';
import { tempFolder } from '../../support/temp-folder';

const fixtures = join(import.meta.dirname, '../../fixtures');

function writeTemp(name: string, content: string | Uint8Array): string {
  const path = join(tempFolder(), name);
  writeFileSync(path, content);
  return path;
}

async function readError(path: string, options?: { maxBytes?: number }): Promise<AppError> {
  try {
    await readJsonDocument(path, options);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`expected ${path} to be refused`);
}

function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

describe('readJsonDocument', () => {
  it('reads a real export and names it after the file', async () => {
    const doc = await readJsonDocument(join(fixtures, 'github/org_installations.json'));
    expect(doc.name).toBe('org_installations.json');
    expect((doc.json as { total_count: number }).total_count).toBe(30);
  });

  it('keeps a caller-given name (a relative path inside the import)', async () => {
    const doc = await readJsonDocument(join(fixtures, 'gcp/keys/terraform-ci.json'), {
      name: 'keys/terraform-ci.json',
    });
    expect(doc.name).toBe('keys/terraform-ci.json');
    expect(Array.isArray(doc.json)).toBe(true);
  });

  it('strips a UTF-8 byte order mark', async () => {
    const path = writeTemp('bom.json', '\ufeff{"name":"Zoë"}');
    expect((await readJsonDocument(path)).json).toEqual({ name: 'Zoë' });
  });

  it('decodes UTF-16 little- and big-endian files by their byte order mark', async () => {
    const text = '{"name":"Søren","n":[1,2]}';
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const big = Buffer.from(little);
    for (let i = 0; i + 1 < big.length; i += 2) [big[i], big[i + 1]] = [little[i + 1]!, little[i]!];
    expect((await readJsonDocument(writeTemp('le.json', little))).json).toEqual({ name: 'Søren', n: [1, 2] });
    expect((await readJsonDocument(writeTemp('be.json', big))).json).toEqual({ name: 'Søren', n: [1, 2] });
  });

  it('refuses JSON nested deeper than the cap before parsing, with where it happens', async () => {
    const error = await readError(writeTemp('deep.json', `{"a":\n${nested(100_000)}}`));
    expect(error.code).toBe('INVALID_FILE');
    expect(error.message).toContain(`more than ${MAX_JSON_DEPTH} levels deep`);
    expect(error.message).toContain('line 2, column 64');
  });

  it('accepts exactly the cap, and counts brackets inside strings as text', () => {
    expect(() => parseJsonText(nested(MAX_JSON_DEPTH), 'ok.json')).not.toThrow();
    expect(() => parseJsonText(nested(MAX_JSON_DEPTH + 1), 'deep.json')).toThrow(/levels deep/);
    const bracketsInString = JSON.stringify({ text: '['.repeat(500) + '\\"[[[' });
    expect(parseJsonText(bracketsInString, 'text.json')).toEqual({ text: '['.repeat(500) + '\\"[[[' });
  });

  it('refuses a file over the size cap and says what to do', async () => {
    const path = writeTemp('big.json', JSON.stringify({ value: 'x'.repeat(4096) }));
    const error = await readError(path, { maxBytes: 1024 });
    expect(error.code).toBe('INVALID_FILE');
    expect(error.message).toMatch(/big\.json is .* MiB; Steward reads JSON files up to .* MiB/);
    expect(error.message).toContain('pages');
  });

  it('reports broken JSON with line and column, without quoting the file', async () => {
    const error = await readError(writeTemp('broken.json', '{\n  "a": 1,\n  "b": tru\n}'));
    expect(error.code).toBe('INVALID_FILE');
    expect(error.message).toContain('broken.json is not valid JSON');
    expect(error.message).toContain('line 3, column 8');
    expect(error.message).toContain('export it again');
  });

  it.each([
    ['{"a":1,}', 'a trailing comma', 1, 8],
    ['{"a":1}\n{"b":2}', 'more text after the end', 2, 1],
    ['[1, 2', "where ',' or ']' should be", 1, 6],
    ['{"a":"line\nbreak"}', 'line break or control character inside a string', 1, 11],
    ['{"a" 1}', "where ':' should follow", 1, 6],
    ['{"a":01}', "where ',' or '}' should be", 1, 7],
    ['{"a":"\\x"}', 'invalid escape', 1, 7],
    ['["unterminated', 'not closed', 1, 15],
  ])('locates %j: %s', (text, problem, line, column) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(() => parseJsonText(text, 'x.json')).toThrow(
      new RegExp(`${escape(problem)}.*line ${line}, column ${column}`),
    );
  });

  it('finds no problem in text that JSON.parse accepts', async () => {
    const { readFileSync } = await import('node:fs');
    for (const file of [
      'entra/servicePrincipals_page1.json',
      'kubernetes/serviceaccounts.json',
      'okta/service_apps.json',
    ]) {
      expect(locateSyntaxError(readFileSync(join(fixtures, file), 'utf8'))).toBeNull();
    }
    for (const text of ['0', '-0.5e+10', '"\\u00e9\\n"', '[true,false,null]', ' {"a":{"b":[]}} ']) {
      expect(locateSyntaxError(text)).toBeNull();
    }
  });

  it('refuses an empty file, a binary file and bytes that are not UTF-8', async () => {
    expect((await readError(writeTemp('empty.json', ''))).message).toContain('empty.json is empty');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]);
    expect((await readError(writeTemp('image.json', png))).message).toContain('image.json is a PNG image');
    const latin1 = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xfc, 0x22, 0x7d]);
    expect((await readError(writeTemp('latin1.json', latin1))).message).toContain('not valid UTF-8');
  });

  it('drops __proto__ keys so nothing downstream can reach a prototype', async () => {
    const path = writeTemp(
      'proto.json',
      '{"__proto__": {"polluted": true}, "items": [{"\\u005f_proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 2}}, "name": "a"}]}',
    );
    const json = (await readJsonDocument(path)).json as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['items']);
    const merged = Object.assign({}, json, (json.items as Record<string, unknown>[])[0]);
    expect(merged.name).toBe('a');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('describeSchemaProblems', () => {
  it('says what is missing or of the wrong type, without quoting values', () => {
    const schema = z.object({
      id: z.string(),
      enabled: z.boolean(),
      owner: z.string(),
      n: z.union([z.number(), z.string()]),
    });
    const input = { enabled: 'yes-secret-value', owner: null, n: [1] };
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    const words = describeSchemaProblems(result.error!, input);
    expect(words).toBe("'id' is missing; 'enabled' should be boolean, not string; 'owner' is null");
    expect(words).not.toContain('yes-secret-value');
  });
});
