import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import type { z } from 'zod';
import type {
  evidenceExportInputSchema,
  evidenceExportOutputSchema,
} from '../../../shared/api/entries/evidence-entries';
import { AppError } from '../../../shared/api/errors';
import type { CoreContext } from '../core-context';

type ExportInput = z.output<typeof evidenceExportInputSchema>;
type ExportOutput = z.input<typeof evidenceExportOutputSchema>;

/**
 * `evidence.export`: the signed pack and, when asked, the workpapers, behind the vault queue so no
 * decision lands between reading the population and reading the log head, and both files state the
 * same figures. Cancellable by task id from the moment it is queued.
 */
export function exportEvidence(input: ExportInput, ctx: CoreContext): Promise<ExportOutput> {
  const taskId = input.taskId ?? randomUUID();
  const pdfPath = resolve(input.pdfPath);
  const xlsxPath = input.xlsxPath ? resolve(input.xlsxPath) : null;
  if (xlsxPath === pdfPath)
    throw new AppError('INVALID_INPUT', 'The PDF and the workpapers need two different file names.');
  // Fails now (VAULT_LOCKED) rather than after waiting in the queue.
  void ctx.vault.database;
  // The task is registered before pdfkit, node-forge and exceljs load (on first export: an import or
  // a review never pays for them), so a cancel sent at once is not lost while they load.
  return ctx.cancellable(taskId, async (signal) => {
    const [{ writeEvidencePack }, { writeWorkpapers }, { loadActiveSigner }] = await Promise.all([
      import('./evidence-pack'),
      import('./evidence-workpapers'),
      import('./pdf-signing'),
    ]);
    return ctx.exclusive(async () => {
      if (signal.aborted)
        throw new AppError(
          'CANCELLED',
          'The evidence export was cancelled before it started. No file was written.',
        );
      const db = ctx.vault.database;
      const signer = loadActiveSigner(db);
      const generatedAt = new Date();
      const pack = await writeEvidencePack(db, {
        campaignId: input.campaignId,
        pdfPath,
        stewardVersion: ctx.appVersion,
        signer,
        generatedAt,
        signal,
        onProgress: (done, total) =>
          ctx.emit('task.progress', { taskId, label: 'Drawing the evidence pack', done, total }),
      });
      let workpapers: { xlsxPath: string; bytes: number } | null = null;
      if (xlsxPath) {
        let rows = 0;
        workpapers = await writeWorkpapers(db, {
          campaignId: input.campaignId,
          xlsxPath,
          stewardVersion: ctx.appVersion,
          generatedAt,
          signal,
          onRow: () => {
            rows += 1;
            if (rows % 1000 === 0)
              ctx.emit('task.progress', { taskId, label: 'Writing the workpapers', done: rows, total: null });
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
    });
  });
}
