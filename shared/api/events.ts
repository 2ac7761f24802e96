import { z } from 'zod';
import { vaultStatusSchema } from './schemas/vault';

/**
 * Events the core pushes to whoever listens (the window over `app:event`, the CLI's progress line,
 * a test). Payloads are plain JSON, like every contract payload.
 */
export const eventSchemas = {
  /** The vault was created, unlocked, locked or pointed at another folder. */
  'vault.changed': vaultStatusSchema,
  /** Progress of a long operation; `done` and `total` are in the operation's own units. */
  'task.progress': z.object({
    taskId: z.string(),
    label: z.string(),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative().nullable(),
    /**
     * False once cancelling would undo nothing: what the operation wrote is saved, and it finishes
     * work that follows from it (an import computing today's risk signals). Absent: cancellable.
     */
    cancellable: z.boolean().optional(),
  }),
  /**
   * The risk-signal index is being built for `asOf` (after an import, on the first read of a new day,
   * or for another as-of date): `done` of `total` identities evaluated. The inventory waits for it.
   */
  'signals.progress': z.object({
    asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    done: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
  }),
  /**
   * The vault's database was lent to long `work` in the vault worker, with `message` saying what in the
   * words its BUSY answers use; both null once it is back and every call answers again, so a screen
   * that was told BUSY can ask again.
   */
  'vault.busy': z.object({
    work: z.enum(['import', 'signal-index', 'campaign-launch', 'evidence-export']).nullable(),
    message: z.string().nullable(),
  }),
  /** Files were dropped on the window; the preload reads their paths (the page cannot). */
  'imports.filesDropped': z.object({ paths: z.array(z.string()) }),
} as const;

export type EventName = keyof typeof eventSchemas;
export type EventPayload<E extends EventName> = z.infer<(typeof eventSchemas)[E]>;
export interface CoreEvent<E extends EventName = EventName> {
  name: E;
  payload: EventPayload<E>;
}
