import { closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes a small file so that a crash leaves either the old or the new content, never half of one:
 * write a temp file beside it, fsync, rename over, fsync the folder.
 */
export function writeFileAtomic(
  path: string,
  content: string | Buffer,
  options: { exclusive?: boolean } = {},
): void {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    if (options.exclusive) {
      // A link fails if the target exists, so two writers can never both "create" the file.
      linkSync(temp, path);
      rmSync(temp);
    } else {
      renameSync(temp, path);
    }
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncFolder(dirname(path));
}

function fsyncFolder(folder: string): void {
  if (process.platform === 'win32') return; // Windows cannot open a folder for fsync.
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
