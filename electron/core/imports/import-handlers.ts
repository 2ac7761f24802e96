import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { AppError } from '../../../shared/api/errors';
import { IMPORT_READING_ROWS_LABEL } from '../../../shared/api/schemas/imports';
import type { HandlerMap } from '../handlers';
import { identityDetail, inventoryFacets, signalCountsAt } from '../inventory/identity-detail';
import { listIdentities, todayIso } from '../inventory/identity-query';
import { importRoster } from '../people/roster-import';
import { announceSignalsProgress, withSignalIndex } from '../risk/signal-index-task';
import { writeCsvFile } from '../system/csv-export';
import { previewImport } from './import-preview';
import { runInVaultWorker } from '../vault/run-in-vault-worker';
import { importFormats, runImport, type ImportStage } from './import-runner';
import { listSnapshots } from './snapshot-queries';
import { summarizeSnapshot, type SnapshotSummary } from './snapshot-writer';

/** Who is importing, as the operating system knows them: the snapshot records it as evidence. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

type ImportMethods =
  | 'imports.run'
  | 'imports.preview'
  | 'imports.formats'
  | 'imports.chooseFiles'
  | 'imports.announceDroppedFiles'
  | 'imports.cancel'
  | 'snapshots.list'
  | 'snapshots.get'
  | 'snapshots.exportRejects'
  | 'people.import'
  | 'identities.list'
  | 'identities.get'
  | 'identities.facets'
  | 'identities.signalCounts';

/** What an import says it is doing once its rows are read. */
const STAGE_LABELS: Record<ImportStage, string> = {
  saving: 'Building the search and sort indexes and saving the snapshot',
  signals: "Saved. Computing today's risk signals for the inventory",
};

export const importHandlers: Pick<HandlerMap, ImportMethods> = {
  'imports.run': (input, ctx) => {
    const taskId = input.taskId ?? randomUUID();
    // Fails now (VAULT_LOCKED, BUSY) rather than after waiting in the queue.
    void ctx.vault.database;
    // The task is cancellable from the moment it is queued, not only once it runs.
    return ctx.cancellable(taskId, (signal) =>
      ctx.exclusive(async () => {
        if (signal.aborted) {
          throw new AppError(
            'CANCELLED',
            'The import was cancelled before it started. Nothing was imported.',
          );
        }
        const request = { ...input, importedBy: currentUser() };
        let rowsDone = 0;
        const options = {
          signal,
          onProgress: (done: number) => {
            rowsDone = done;
            ctx.emit('task.progress', { taskId, label: IMPORT_READING_ROWS_LABEL, done, total: null });
          },
          onStage: (stage: ImportStage) =>
            ctx.emit('task.progress', {
              taskId,
              label: STAGE_LABELS[stage],
              done: rowsDone,
              total: null,
              cancellable: stage !== 'signals',
            }),
        };
        if (!ctx.vaultWorkerScript) return runImport(ctx.vault.database, request, options);
        const summary = await runInVaultWorker(
          ctx.vault,
          ctx.vaultWorkerScript,
          { kind: 'import', request },
          {
            signal,
            busyMessage: 'An import is being written to the vault. This is available again when it is done.',
            callsWait: false,
            onProgress: (message) => {
              if (message.type === 'rows') options.onProgress(message.done);
              else if (message.type === 'stage') options.onStage(message.stage);
              else announceSignalsProgress(ctx, message);
            },
          },
        );
        return summary as SnapshotSummary;
      }),
    );
  },

  'imports.preview': async (input, ctx) => previewImport(ctx.vault.database, input),

  'imports.formats': async () => importFormats(),

  'imports.chooseFiles': async (_input, ctx) => {
    const dialogs = ctx.ports.dialogs;
    if (!dialogs) {
      throw new AppError(
        'NOT_AVAILABLE',
        'Choosing files needs the desktop app. On the command line, name the files.',
      );
    }
    const paths = await dialogs.chooseImportFiles();
    return { cancelled: paths === null, paths: paths ?? [] };
  },

  'imports.announceDroppedFiles': async (input, ctx) => {
    ctx.emit('imports.filesDropped', { paths: input.paths });
    return { paths: input.paths };
  },

  'imports.cancel': async (input, ctx) => ({ cancelled: ctx.cancelTask(input.taskId) }),

  'snapshots.list': async (input, ctx) => listSnapshots(ctx.vault.database, input.limit),

  'snapshots.get': async (input, ctx) => summarizeSnapshot(ctx.vault.database, input.snapshotId),

  'snapshots.exportRejects': async (input, ctx) => {
    const summary = summarizeSnapshot(ctx.vault.database, input.snapshotId);
    const dialogs = ctx.ports.dialogs;
    if (!dialogs) throw new AppError('NOT_AVAILABLE', 'Saving a file needs the desktop app.');
    const path = await dialogs.chooseSavePath(`steward-snapshot-${summary.snapshotId}-rejects.csv`, {
      name: 'CSV',
      extensions: ['csv'],
    });
    if (!path) return { cancelled: true, path: null, rows: 0 };
    writeCsvFile(
      path,
      ['file', 'row', 'kind', 'reason'],
      [
        ...summary.rejects.map((r) => [r.file, r.row, 'rejected', r.reason] as const),
        ...summary.notes.map((n) => [n.file, n.row, 'note', n.message] as const),
      ],
    );
    return { cancelled: false, path, rows: summary.rejects.length + summary.notes.length };
  },

  'people.import': (input, ctx) =>
    ctx.exclusive(() => importRoster(ctx.vault.database, input.path, currentUser())),

  'identities.list': (input, ctx) =>
    withSignalIndex(ctx, input.asOf ?? todayIso(), () => listIdentities(ctx.vault.database, input)),

  'identities.get': (input, ctx) =>
    withSignalIndex(ctx, input.asOf ?? todayIso(), () =>
      identityDetail(ctx.vault.database, input.id, input.asOf),
    ),

  'identities.facets': (_input, ctx) =>
    withSignalIndex(ctx, todayIso(), () => inventoryFacets(ctx.vault.database, todayIso())),

  'identities.signalCounts': (input, ctx) => {
    const asOf = input.asOf ?? todayIso();
    return withSignalIndex(ctx, asOf, () => ({ asOf, signals: signalCountsAt(ctx.vault.database, asOf) }));
  },
};
