import type { Command } from 'commander';
import type { CliContext } from '../cli-context';
import { obtainPassphrase } from '../passphrase';

export function registerVaultCommands(
  program: Command,
  { io, openCore, call, unlock, print, failure }: CliContext,
): void {
  program
    .command('init')
    .description('create a new encrypted vault in the --data folder')
    .action(async (_options, command: Command) => {
      const target = openCore(command);
      const status = await call(target, 'vault.status', {});
      if (status.state !== 'absent') {
        throw failure('VAULT_EXISTS', `${status.folder} already holds a vault. Nothing was changed.`);
      }
      const passphrase = await obtainPassphrase(io, { confirm: true });
      const created = await call(target, 'vault.create', { passphrase });
      print(command, created, `Created an encrypted vault in ${created.folder}.`);
    });

  program
    .command('status')
    .description('show whether the vault exists and opens, its schema version and key settings')
    .action(async (_options, command: Command) => {
      const target = openCore(command);
      const before = await call(target, 'vault.status', {});
      if (before.state === 'absent') {
        print(command, before, `There is no vault in ${before.folder}.`);
        return;
      }
      await unlock(target);
      const status = await call(target, 'vault.status', {});
      print(
        command,
        status,
        [
          `Vault:    ${status.folder}`,
          `State:    opens with the given passphrase`,
          `Created:  ${status.createdAt ?? 'unknown'}`,
          `Schema:   version ${status.schemaVersion}`,
          `Key:      wrapped with ${status.kdf}`,
        ].join('\n'),
      );
    });
}
