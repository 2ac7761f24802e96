import { randomUUID } from 'node:crypto';
import type { connectorEntries } from '../../../shared/api/entries/connector-entries';
import { AppError } from '../../../shared/api/errors';
import type { HandlerMap } from '../handlers';
import { currentUser } from '../imports/import-handlers';
import { CONNECTOR_TYPE_INFO, CONNECTOR_TYPES } from './connector-fields';
import { lookupConnector } from './connector-lookup';
import {
  addProfile,
  connectorOfType,
  describeProfile,
  getProfile,
  listProfiles,
  listPulls,
  removeProfile,
  updateSecrets,
} from './connector-profiles';
import { runConnectionTest, runConnectorPull } from './connector-pull';

/**
 * Handlers of the connector domain: profiles, connection tests and pulls. Writes (profiles, pulls)
 * run on the core's exclusive queue, so a pull and an import never write at once.
 */
export const connectorHandlers: Pick<HandlerMap, keyof typeof connectorEntries> = {
  'connectors.types': async () =>
    Promise.all(
      CONNECTOR_TYPES.map(async (type) => {
        const connector = await lookupConnector(type);
        const info = CONNECTOR_TYPE_INFO[type];
        return {
          type,
          label: connector?.label ?? info.label,
          available: connector !== undefined,
          sdk: connector?.sdk ?? null,
          options: info.options,
          secrets: info.secrets,
        };
      }),
    ),

  'connectors.list': async (_input, ctx) => listProfiles(ctx.vault.database),

  'connectors.add': (input, ctx) => {
    void ctx.vault.database;
    return ctx.exclusive(async () => {
      const db = ctx.vault.database;
      return describeProfile(db, await addProfile(db, input));
    });
  },

  'connectors.updateSecrets': (input, ctx) => {
    void ctx.vault.database;
    return ctx.exclusive(async () => {
      const db = ctx.vault.database;
      return describeProfile(db, await updateSecrets(db, input.name, input.secrets));
    });
  },

  'connectors.remove': (input, ctx) => {
    void ctx.vault.database;
    return ctx.exclusive(async () => removeProfile(ctx.vault.database, input.name));
  },

  'connectors.test': (input, ctx) => {
    const profile = getProfile(ctx.vault.database, input.name);
    const taskId = input.taskId ?? randomUUID();
    // The task is registered before the connector's SDK loads, so a cancel sent at once is not lost.
    return ctx.cancellable(taskId, async (signal) =>
      runConnectionTest(profile, await connectorOfType(profile.type), {
        signal,
        onProgress: (label, done) => ctx.emit('task.progress', { taskId, label, done, total: null }),
      }),
    );
  },

  'connectors.pull': (input, ctx) => {
    const taskId = input.taskId ?? randomUUID();
    // Fails now (VAULT_LOCKED, BUSY, no such profile) rather than after waiting in the queue.
    const { type } = getProfile(ctx.vault.database, input.name);
    // The task is registered before the connector's SDK loads, so a cancel sent at once is not lost.
    return ctx.cancellable(taskId, async (signal) => {
      const connector = await connectorOfType(type);
      return ctx.exclusive(async () => {
        if (signal.aborted) {
          throw new AppError('CANCELLED', 'The pull was cancelled before it started. Nothing was written.');
        }
        const db = ctx.vault.database;
        // Read again inside the queue: the secrets may have been rotated while this waited.
        const profile = getProfile(db, input.name);
        return runConnectorPull(db, profile, connector, {
          signal,
          startedBy: currentUser(),
          onProgress: (label, done) => ctx.emit('task.progress', { taskId, label, done, total: null }),
        });
      });
    });
  },

  'connectors.cancel': async (input, ctx) => ({ cancelled: ctx.cancelTask(input.taskId) }),

  'connectors.pulls': async (input, ctx) => listPulls(ctx.vault.database, input.name, input.limit),
};
