import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { AppError } from '../../../shared/api/errors';
import type { SnapshotFile } from './snapshot-writer';

export interface ImportFile extends SnapshotFile {
  path: string;
}

/**
 * Checks that every path is a readable file and fingerprints it (size, SHA-256) by streaming, so the
 * snapshot records exactly the bytes that were read. Names are relative to the files' common folder:
 * `keys/terraform-ci.json` tells the GCP preset which account a key file belongs to.
 */
export async function fingerprintFiles(paths: readonly string[]): Promise<ImportFile[]> {
  if (paths.length === 0)
    throw new AppError('INVALID_INPUT', 'No files were given. Choose the export files to import.');
  const absolute = paths.map((p) => resolve(p));
  const duplicates = absolute.filter((p, i) => absolute.indexOf(p) !== i);
  if (duplicates.length > 0) {
    throw new AppError('INVALID_INPUT', `${basename(duplicates[0]!)} was given twice. Give each file once.`);
  }
  const root = commonFolder(absolute);
  const files: ImportFile[] = [];
  for (const path of absolute) {
    let size: number;
    try {
      const info = await stat(path);
      if (!info.isFile())
        throw new AppError('INVALID_INPUT', `${path} is a folder, not a file. Choose the export files.`);
      size = info.size;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(
        'INVALID_INPUT',
        `${path} cannot be read: it does not exist or Steward may not open it.`,
      );
    }
    const name = absolute.length === 1 ? basename(path) : relative(root, path).split(sep).join('/');
    files.push({ path, name, bytes: size, sha256: await sha256OfFile(path) });
  }
  return files;
}

export function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolvePromise(hash.digest('hex')));
  });
}

function commonFolder(paths: readonly string[]): string {
  let folder = dirname(paths[0]!);
  while (!paths.every((p) => p === folder || p.startsWith(folder.endsWith(sep) ? folder : folder + sep))) {
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  return folder;
}
