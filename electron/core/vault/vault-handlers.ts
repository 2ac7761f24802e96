import { AppError } from '../../../shared/api/errors';
import type { HandlerMap } from '../handlers';

export const vaultHandlers: Pick<
  HandlerMap,
  | 'vault.status'
  | 'vault.create'
  | 'vault.unlock'
  | 'vault.lock'
  | 'vault.changePassphrase'
  | 'vault.chooseFolder'
> = {
  'vault.status': async (_input, ctx) => ctx.vault.status(),

  'vault.create': (input, ctx) =>
    ctx.exclusive(async () => {
      const status = await ctx.vault.create(input.passphrase);
      ctx.emit('vault.changed', status);
      return status;
    }),

  'vault.unlock': (input, ctx) =>
    ctx.exclusive(async () => {
      const status = await ctx.vault.unlock(input.passphrase);
      ctx.emit('vault.changed', status);
      return status;
    }),

  'vault.lock': (_input, ctx) => {
    // Locking stops a running import (it then writes nothing) instead of waiting for it.
    ctx.cancelAllTasks();
    return ctx.exclusive(async () => {
      const status = ctx.vault.lock();
      ctx.emit('vault.changed', status);
      return status;
    });
  },

  'vault.changePassphrase': (input, ctx) =>
    ctx.exclusive(() => ctx.vault.changePassphrase(input.currentPassphrase, input.newPassphrase)),

  'vault.chooseFolder': (input, ctx) =>
    ctx.exclusive(async () => {
      const dialogs = ctx.ports.dialogs;
      if (!dialogs) {
        throw new AppError(
          'NOT_AVAILABLE',
          'Choosing a folder needs the desktop app. On the command line use --data DIR.',
        );
      }
      const folder = await dialogs.chooseVaultFolder(input.purpose);
      if (!folder) return { cancelled: true, status: ctx.vault.status() };
      ctx.switchVaultFolder(folder);
      const status = ctx.vault.status();
      ctx.emit('vault.changed', status);
      return { cancelled: false, status };
    }),
};
