import type { CoreContext } from '../core-context';
import { runInVaultWorker } from '../vault/run-in-vault-worker';
import type { Vault } from '../vault/vault';
import { rebuildSignalIndex, signalIndexState } from './signal-index';

/**
 * Reads that need the risk-signal index for a date (the inventory's list, its filters and counts, one
 * identity's details) wait until it is built for that date. It is built after each import, on the
 * first read of a new day and for every other as-of date asked for; at a million identities that
 * takes half a minute, so it runs in the vault worker when there is one (the desktop app), the window
 * stays responsive meanwhile, and `signals.progress` events say how far it is.
 */

/** The build under way in each vault, which has the vault's database lent to the worker. */
const underWay = new WeakMap<Vault, Promise<unknown>>();

export async function withSignalIndex<T>(ctx: CoreContext, asOf: string, read: () => T): Promise<T> {
  // While a build has the database, a read waits for it rather than being told BUSY.
  const building = underWay.get(ctx.vault);
  if (building) await building.catch(() => undefined);
  if (signalIndexState(ctx.vault.database)?.asOf === asOf) return read();
  // Building writes, so it waits its turn behind imports and other writes.
  return ctx.exclusive(async () => {
    if (signalIndexState(ctx.vault.database)?.asOf !== asOf) await buildSignalIndex(ctx, asOf);
    return read();
  });
}

async function buildSignalIndex(ctx: CoreContext, asOf: string): Promise<void> {
  const report = (done: number, total: number) => ctx.emit('signals.progress', { asOf, done, total });
  const script = ctx.vaultWorkerScript;
  if (!script) {
    rebuildSignalIndex(ctx.vault.database, asOf, report);
    return;
  }
  const vault = ctx.vault;
  const build = runInVaultWorker(
    vault,
    script,
    { kind: 'signal-index', asOf },
    {
      busyMessage: `Steward is computing the risk signals as of ${asOf} for the inventory. This is available again when it is done.`,
      onProgress: (message) => {
        if (message.type === 'signals') report(message.done, message.total);
      },
    },
  );
  underWay.set(vault, build);
  try {
    await build;
  } finally {
    if (underWay.get(vault) === build) underWay.delete(vault);
  }
}
