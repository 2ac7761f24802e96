import { userInfo } from 'node:os';
import type { HandlerMap } from '../handlers';
import { listIdentities } from '../inventory/identity-query';
import { importRoster } from '../people/roster-import';
import { importFormats, runImport } from './import-runner';

/** Who is importing, as the operating system knows them: the snapshot records it as evidence. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

export const importHandlers: Pick<
  HandlerMap,
  'imports.run' | 'imports.formats' | 'people.import' | 'identities.list'
> = {
  'imports.run': (input, ctx) =>
    ctx.exclusive(() =>
      runImport(
        ctx.vault.database,
        { ...input, importedBy: currentUser() },
        {
          onProgress: (done) =>
            ctx.emit('task.progress', {
              taskId: input.taskId ?? 'import',
              label: 'Importing',
              done,
              total: null,
            }),
        },
      ),
    ),

  'imports.formats': async () => importFormats(),

  'people.import': (input, ctx) =>
    ctx.exclusive(() => importRoster(ctx.vault.database, input.path, currentUser())),

  'identities.list': async (input, ctx) => listIdentities(ctx.vault.database, input),
};
