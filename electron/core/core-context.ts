import type { EventName, EventPayload } from '../../shared/api/events';
import type { CorePorts } from './ports';
import type { Vault } from './vault/vault';

/** What every handler receives besides its validated input. */
export interface CoreContext {
  readonly vault: Vault;
  readonly ports: CorePorts;
  readonly appVersion: string;
  /** Where the vault worker's bundle is, when long vault writes should run off this thread. */
  readonly vaultWorkerScript: string | undefined;
  /** Locks the current vault and points the core at another folder. */
  switchVaultFolder(folder: string): void;
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Runs `work` after any vault operation already in flight, so unlock, lock and create never interleave. */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** Runs long work that `cancelTask(taskId)` can stop through the signal it is given. */
  cancellable<T>(taskId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Stops a running task; false when no task has that id (it finished, or never ran). */
  cancelTask(taskId: string): boolean;
  /** Stops every running task (before locking: the vault must not stay open for an import). */
  cancelAllTasks(): void;
}
