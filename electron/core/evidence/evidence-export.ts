import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { z } from 'zod';
import type {
  evidenceExportInputSchema,
  evidenceExportOutputSchema,
} from '../../../shared/api/entries/evidence-entries';
import { AppError } from '../../../shared/api/errors';
import type { EventPayload } from '../../../shared/api/events';
import type { CoreContext } from '../core-context';
import type { Db } from '../db/open-database';
import { runInVaultWorker } from '../vault/run-in-vault-worker';

type ExportInput = z.output<typeof evidenceExportInputSchema>;
type ExportOutput = z.input<typeof evidenceExportOutputSchema>;

/** The files of one export, as the vault worker (or this thread, without one) is asked for them. */
export interface EvidenceFilesRequest {
  campaignId: number;
  pdfPath: string;
  xlsxPath: string | null;
  stewardVersion: string;
}

/** A step of an export: a `task.progress` event without its task id (`total` null when not known ahead). */
export type EvidenceProgress = Pick<EventPayload<'task.progress'>, 'label' | 'done' | 'total'>;

/**
 * `evidence.export`: the signed pack and, when asked, the workpapers, behind the vault queue so no
 * decision lands between reading the population and reading the log head, and both files state the
 * same figures. Cancellable by task id from the moment it is queued.
 *
 * Drawing a pack does not yield: a campaign of 100,000 items holds its thread for half a minute. In
 * the app it therefore runs in the vault worker, and the window's calls say BUSY in words meanwhile
 * (an export can be cancelled, so nothing waits for it blindly); the CLI draws on its own thread.
 */
export function exportEvidence(input: ExportInput, ctx: CoreContext): Promise<ExportOutput> {
  const taskId = input.taskId ?? randomUUID();
  const request: EvidenceFilesRequest = {
    campaignId: input.campaignId,
    pdfPath: resolve(input.pdfPath),
    xlsxPath: input.xlsxPath ? resolve(input.xlsxPath) : null,
    stewardVersion: ctx.appVersion,
  };
  if (request.xlsxPath === request.pdfPath)
    throw new AppError('INVALID_INPUT', 'The PDF and the workpapers need two different file names.');
  // Fails now (VAULT_LOCKED) rather than after waiting in the queue.
  void ctx.vault.database;
  const onProgress = (progress: EvidenceProgress) => ctx.emit('task.progress', { taskId, ...progress });
  return ctx.cancellable(taskId, (signal) =>
    ctx.exclusive(async () => {
      if (signal.aborted)
        throw new AppError(
          'CANCELLED',
          'The evidence export was cancelled before it started. No file was written.',
        );
      if (!ctx.vaultWorkerScript)
        return writeEvidenceFiles(ctx.vault.database, request, { signal, onProgress });
      const written = await runInVaultWorker(
        ctx.vault,
        ctx.vaultWorkerScript,
        { kind: 'evidence-export', request },
        {
          signal,
          busyMessage:
            'An evidence pack is being written. This is available again when it is done, or cancel it on the Evidence page.',
          callsWait: false,
          onProgress: (message) => {
            if (message.type === 'evidence') onProgress(message.progress);
          },
        },
      );
      return written as ExportOutput;
    }),
  );
}

/**
 * Writes the pack and the workpapers from `db`. pdfkit, node-forge and exceljs load here, on the
 * first export: an import or a review never pays for them.
 */
export async function writeEvidenceFiles(
  db: Db,
  request: EvidenceFilesRequest,
  options: { signal: AbortSignal; onProgress: (progress: EvidenceProgress) => void },
): Promise<ExportOutput> {
  const { signal, onProgress } = options;
  // Staging the items and building the attachments come before the first row is drawn: seconds for a
  // large campaign, which the window must not go on calling "waiting for the save dialog".
  onProgress({ label: 'Reading the campaign from the vault', done: 0, total: null });
  const [{ writeEvidencePack }, { writeWorkpapers }, { loadActiveSigner }] = await Promise.all([
    import('./evidence-pack'),
    import('./evidence-workpapers'),
    import('./pdf-signing'),
  ]);
  const signer = loadActiveSigner(db);
  const generatedAt = new Date();
  const pack = await writeEvidencePack(db, {
    campaignId: request.campaignId,
    pdfPath: request.pdfPath,
    stewardVersion: request.stewardVersion,
    signer,
    generatedAt,
    signal,
    onProgress: (done, total) => onProgress({ label: 'Drawing the evidence pack', done, total }),
  });
  let workpapers: { xlsxPath: string; bytes: number } | null = null;
  if (request.xlsxPath) {
    let rows = 0;
    onProgress({ label: 'Writing the workpapers', done: 0, total: null });
    workpapers = await writeWorkpapers(db, {
      campaignId: request.campaignId,
      xlsxPath: request.xlsxPath,
      stewardVersion: request.stewardVersion,
      generatedAt,
      signal,
      onRow: () => {
        rows += 1;
        if (rows % 1000 === 0) onProgress({ label: 'Writing the workpapers', done: rows, total: null });
      },
    });
  }
  return {
    pdfPath: pack.pdfPath,
    bytes: pack.bytes,
    sha256: pack.sha256,
    pages: pack.pages,
    decisions: pack.decisions,
    logHead: pack.logHead,
    signerFingerprint: signer.fingerprint,
    xlsxPath: workpapers?.xlsxPath ?? null,
    xlsxBytes: workpapers?.bytes ?? null,
  };
}
