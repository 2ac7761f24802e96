import type { CoreContext } from '../core-context';
import { runInVaultWorker, type VaultWorkerProgress } from '../vault/run-in-vault-worker';
import { rebuildSignalIndex, signalIndexState } from './signal-index';

/**
 * Reads that need the risk-signal index for a date (the inventory's list, its filters and counts, one
 * identity's details, a campaign's scope preview) wait until it is built for that date. It is built
 * after each import, on the first read of a new day and for any other as-of date it does not hold; at a
 * million identities that takes half a minute, so it runs in the vault worker when there is one (the
 * desktop app): the window stays responsive, calls wait for the build (Vault.whenAvailable) rather
 * than fail, and `signals.progress` events say how far it is.
 */
export async function withSignalIndex<T>(ctx: CoreContext, asOf: string, read: () => T): Promise<T> {
  if (signalIndexState(ctx.vault.database, asOf)) return read();
  // Building writes, so it waits its turn behind imports and other writes.
  return ctx.exclusive(async () => {
    if (!signalIndexState(ctx.vault.database, asOf)) await buildSignalIndex(ctx, asOf);
    return read();
  });
}

async function buildSignalIndex(ctx: CoreContext, asOf: string): Promise<void> {
  if (!ctx.vaultWorkerScript) {
    rebuildSignalIndex(ctx.vault.database, asOf, (progress) => ctx.emit('signals.progress', progress));
    return;
  }
  await runInVaultWorker(
    ctx.vault,
    ctx.vaultWorkerScript,
    { kind: 'signal-index', asOf },
    {
      busyMessage: `Steward is computing the risk signals as of ${asOf}. This is available again when it is done.`,
      callsWait: true,
      onProgress: (message) => announceSignalsProgress(ctx, message),
    },
  );
}

/** Passes on what a vault worker says about the signal index it builds (in any job) as `signals.progress`. */
export function announceSignalsProgress(ctx: CoreContext, message: VaultWorkerProgress): void {
  if (message.type === 'signals')
    ctx.emit('signals.progress', { asOf: message.asOf, done: message.done, total: message.total });
}
