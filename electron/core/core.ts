import { EventEmitter } from 'node:events';
import { z } from 'zod';
import { contract, isMethod, type Method, type MethodOutput } from '../../shared/api/contract';
import { AppError } from '../../shared/api/errors';
import type { CoreEvent, EventName, EventPayload } from '../../shared/api/events';
import { fail, ok, type Result } from '../../shared/api/result';
import type { CoreContext } from './core-context';
import { errorShapeOf } from './error-shape';
import { handlers } from './handlers';
import type { CorePorts } from './ports';
import { Vault, type VaultWork } from './vault/vault';

export interface CoreOptions {
  /** The vault folder to work on at start. */
  vaultFolder: string;
  /** Compiled better-sqlite3 addon to load instead of the default (the Electron build in the app). */
  nativeBinding?: string | undefined;
  ports?: CorePorts;
  appVersion?: string;
  /**
   * The bundled vault worker (dist/core/vault-worker.cjs). With it, imports and builds of the
   * risk-signal index run in a worker thread and this thread stays free to answer the window; without
   * it (the CLI) they run here.
   */
  vaultWorkerScript?: string | undefined;
}

export interface Core {
  /** The only way in: validates `input` against the contract, runs the handler, never throws. */
  dispatch<M extends Method>(method: M, input: unknown): Promise<Result<MethodOutput<M>>>;
  dispatch(method: string, input: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
  /** Locks the vault; call on quit. */
  close(): void;
}

export function createCore(options: CoreOptions): Core {
  const events = new EventEmitter();
  // Screens told BUSY during a loan learn of its end from this event, and ask again.
  const vaultOptions = {
    nativeBinding: options.nativeBinding,
    onLoan: (loan: { work: VaultWork; busyMessage: string } | null) =>
      context.emit('vault.busy', { work: loan?.work ?? null, message: loan?.busyMessage ?? null }),
  };
  let vault = new Vault(options.vaultFolder, vaultOptions);
  let queue: Promise<unknown> = Promise.resolve();
  const tasks = new Map<string, AbortController>();

  const context: CoreContext = {
    get vault() {
      return vault;
    },
    ports: options.ports ?? {},
    appVersion: options.appVersion ?? '0.0.0',
    vaultWorkerScript: options.vaultWorkerScript,
    switchVaultFolder(folder) {
      vault.lock();
      vault = new Vault(folder, vaultOptions);
    },
    emit<E extends EventName>(name: E, payload: EventPayload<E>) {
      events.emit('event', { name, payload } satisfies CoreEvent<E>);
    },
    exclusive<T>(work: () => Promise<T>): Promise<T> {
      const run = queue.then(work, work);
      queue = run.catch(() => undefined);
      return run;
    },
    async cancellable<T>(taskId: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
      if (tasks.has(taskId))
        throw new AppError('INVALID_INPUT', `A task with the id "${taskId}" is already running.`);
      const controller = new AbortController();
      tasks.set(taskId, controller);
      try {
        return await work(controller.signal);
      } finally {
        tasks.delete(taskId);
      }
    },
    cancelAllTasks(): void {
      for (const controller of tasks.values()) controller.abort();
    },
    cancelTask(taskId: string): boolean {
      const controller = tasks.get(taskId);
      controller?.abort();
      return controller !== undefined;
    },
  };

  async function dispatch(method: string, input: unknown): Promise<Result<unknown>> {
    if (!isMethod(method)) {
      return fail({ code: 'UNKNOWN_METHOD', message: `Steward has no operation named "${String(method)}".` });
    }
    const parsed = contract[method].input.safeParse(input ?? {});
    if (!parsed.success) {
      return fail({ code: 'INVALID_INPUT', message: describeInvalidInput(parsed.error) });
    }
    try {
      // The vault worker may have the database for a job that calls wait out (a signal index, a launch).
      // Awaited only then: an extra turn here would let a cancel overtake the call it cancels.
      const available = ANSWERED_WITHOUT_THE_DATABASE.has(method) ? null : vault.whenAvailable();
      if (available) await available;
      const handler = handlers[method] as (input: unknown, ctx: CoreContext) => Promise<unknown>;
      return ok(await handler(parsed.data, context));
    } catch (error) {
      return fail(errorShapeOf(error));
    }
  }

  return {
    dispatch: dispatch as Core['dispatch'],
    onEvent(listener) {
      events.on('event', listener);
      return () => events.off('event', listener);
    },
    close() {
      for (const controller of tasks.values()) controller.abort();
      vault.lock();
      events.removeAllListeners();
    },
  };
}

/** Calls that never read the vault's database: they answer at once, even while the vault worker has it. */
const ANSWERED_WITHOUT_THE_DATABASE = new Set<Method>([
  'app.info',
  'vault.status',
  'imports.formats',
  'imports.announceDroppedFiles',
  'imports.cancel',
  'connectors.types',
  'connectors.cancel',
  'evidence.cancel',
  'evidence.verify',
]);

function describeInvalidInput(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join(' ');
}
