import { isAppError, type AppErrorShape } from '../../shared/api/errors';

/**
 * What a caller is told about a failure, in words: an AppError as it is; a full disk or a folder it may
 * not write named as such; anything else as an internal error with its detail. The core's dispatch and
 * the worker threads (an import, a sheet reader) say failures the same way.
 */
export function errorShapeOf(error: unknown): AppErrorShape {
  if (isAppError(error)) return error.toJSON();
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return {
      code: 'INTERNAL',
      message: 'The disk is full. Free some space and try again; nothing was saved.',
    };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return {
      code: 'INTERNAL',
      message: 'Steward is not allowed to write to the vault folder. Check its permissions.',
    };
  }
  const detail = error instanceof Error ? error.message : String(error);
  return {
    code: 'INTERNAL',
    message: `Something went wrong inside Steward (${detail}). Nothing was changed.`,
  };
}
