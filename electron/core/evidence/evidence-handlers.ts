import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { evidenceEntries } from '../../../shared/api/entries/evidence-entries';
import { AppError } from '../../../shared/api/errors';
import { getCampaign } from '../campaigns/campaigns';
import type { CoreContext } from '../core-context';
import type { HandlerMap } from '../handlers';
import type { DialogPort, FilePort } from '../ports';
import { exportEvidence } from './evidence-export';
import { activeSigner } from './signer-store';

/** Largest file `evidence.verify` and `signer.import` read into memory. */
const MAX_INPUT_BYTES = 1024 * 1024 * 1024;

/** Reads a file the user named; INVALID_FILE (never INTERNAL) when it cannot be read. */
export async function readInputFile(path: string, what: string): Promise<Buffer> {
  try {
    const bytes = await readFile(path);
    if (bytes.length > MAX_INPUT_BYTES) {
      throw new AppError('INVALID_FILE', `${path} is larger than 1 GiB; it is not ${what}.`);
    }
    return bytes;
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'it does not exist'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission was denied'
          : code === 'EISDIR'
            ? 'it is a folder'
            : `it could not be read (${code ?? 'unknown error'})`;
    throw new AppError('INVALID_FILE', `Cannot read ${path}: ${why}. Give the path of ${what}.`);
  }
}

function dialogPort(ctx: CoreContext, doing: string): DialogPort {
  const dialogs = ctx.ports.dialogs;
  if (!dialogs)
    throw new AppError(
      'NOT_AVAILABLE',
      `${doing} needs the desktop app. On the command line, name the file.`,
    );
  return dialogs;
}

function filePort(ctx: CoreContext): FilePort {
  const files = ctx.ports.files;
  if (!files)
    throw new AppError(
      'NOT_AVAILABLE',
      'Opening a file needs the desktop app. Open it from your file manager.',
    );
  return files;
}

/** A file name from a campaign name: lowercase words joined by hyphens, nothing a file system minds. */
export function evidenceFileStem(campaignId: number, campaignName: string): string {
  const words = campaignName
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
    .replace(/-+$/, '');
  return `steward-evidence-${words || `campaign-${campaignId}`}`;
}

/** Handlers of the evidence domain: signer, evidence pack export, verification. */
export const evidenceHandlers: Pick<HandlerMap, keyof typeof evidenceEntries> = {
  'signer.get': async (_input, ctx) => activeSigner(ctx.vault.database),

  'signer.create': (input, ctx) =>
    ctx.exclusive(async () => {
      const { generateSigner } = await import('./signer-material');
      return generateSigner(ctx.vault.database, { name: input.name, email: input.email });
    }),

  'signer.import': async (input, ctx) => {
    const p12 = await readInputFile(input.path, 'a PKCS#12 (.p12 / .pfx) file');
    const { importSignerPkcs12 } = await import('./signer-material');
    return ctx.exclusive(async () => importSignerPkcs12(ctx.vault.database, p12, input.password));
  },

  'evidence.export': (input, ctx) => exportEvidence(input, ctx),

  'evidence.exportWithDialog': async (input, ctx) => {
    const db = ctx.vault.database;
    const campaign = getCampaign(db, input.campaignId);
    if (campaign.state === 'draft')
      throw new AppError(
        'INVALID_INPUT',
        `Campaign ${campaign.id} has not been launched: there is no population to evidence yet. Launch it first.`,
      );
    if (!activeSigner(db))
      throw new AppError(
        'NOT_AVAILABLE',
        'The evidence pack is signed, and this vault has no signing certificate yet. Create one or import ' +
          "your organisation's under Signing certificate, then generate the pack.",
      );
    const dialogs = dialogPort(ctx, 'Saving the evidence pack');
    const stem = evidenceFileStem(campaign.id, campaign.name);
    const pdfPath = await dialogs.chooseSavePath(`${stem}.pdf`, { name: 'PDF', extensions: ['pdf'] });
    if (!pdfPath) return { cancelled: true, export: null };
    let xlsxPath: string | undefined;
    if (input.workpapers) {
      // Proposed beside the PDF, so the two files of one campaign stay together unless the user moves them.
      const chosen = await dialogs.chooseSavePath(join(dirname(pdfPath), `${stem}.xlsx`), {
        name: 'Excel workbook',
        extensions: ['xlsx'],
      });
      if (!chosen) return { cancelled: true, export: null };
      xlsxPath = chosen;
    }
    const written = await exportEvidence(
      { campaignId: campaign.id, pdfPath, xlsxPath, taskId: input.taskId },
      ctx,
    );
    return { cancelled: false, export: written };
  },

  'signer.chooseFile': async (_input, ctx) => {
    const dialogs = dialogPort(ctx, 'Choosing a certificate file');
    if (!dialogs.chooseSigningCertificate)
      throw new AppError('NOT_AVAILABLE', 'Choosing a certificate file needs the desktop app.');
    const path = await dialogs.chooseSigningCertificate();
    return { cancelled: path === null, path };
  },

  'evidence.chooseFile': async (_input, ctx) => {
    const dialogs = dialogPort(ctx, 'Choosing an evidence file');
    if (!dialogs.chooseEvidenceFile)
      throw new AppError('NOT_AVAILABLE', 'Choosing an evidence file needs the desktop app.');
    const path = await dialogs.chooseEvidenceFile();
    return { cancelled: path === null, path };
  },

  'evidence.openFile': async (input, ctx) => {
    const refused = await filePort(ctx).openPath(input.path);
    if (refused !== null) throw new AppError('INVALID_INPUT', refused);
    return { opened: true as const };
  },

  'evidence.showFile': async (input, ctx) => {
    const refused = await filePort(ctx).showInFolder(input.path);
    if (refused !== null) throw new AppError('INVALID_INPUT', refused);
    return { shown: true as const };
  },

  'evidence.cancel': async (input, ctx) => ({ cancelled: ctx.cancelTask(input.taskId) }),

  // Needs no vault: an auditor verifies a pack on its own bytes.
  'evidence.verify': async (input) => {
    const bytes = await readInputFile(input.path, 'a signed evidence PDF');
    // pdf-lib loads when a pack is first verified, not in every process that handles a request.
    const { verifyEvidencePdf } = await import('./verify-evidence');
    return verifyEvidencePdf(bytes, { trust: input.trust });
  },
};
