import { z } from 'zod';
import { entry, noInput } from '../contract-entry';

/**
 * Contract entries of the evidence domain (see shared/api/contract.ts for the conventions). Each entry:
 * JSDoc saying what it does and which errors it answers, zod input/output, realistic samples.
 */

const FINGERPRINT_SAMPLE =
  '3A:7F:0C:91:5E:22:B4:68:D1:09:AF:4C:E3:77:12:5B:90:C6:2D:8E:41:F3:A0:6B:57:1C:E9:84:2F:D0:B3:65';

/** The vault's signing certificate as the app shows it (never the key). */
export const signerSummarySchema = z.object({
  name: z.string(),
  email: z.string().nullable(),
  /** SHA-256 of the DER certificate, `AB:CD:...`: what auditors compare with the published one. */
  fingerprint: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  origin: z.enum(['generated', 'imported']),
  createdAt: z.string(),
});

const signerSample = {
  name: 'Dana Whitfield',
  email: 'dana.whitfield@northwind.example',
  fingerprint: FINGERPRINT_SAMPLE,
  notBefore: '2026-11-24T09:14:02.000Z',
  notAfter: '2031-11-24T09:14:02.000Z',
  origin: 'generated' as const,
  createdAt: '2026-11-24T09:15:02.311Z',
};

/** The checks of `evidence.verify`, in the order they run. */
export const EVIDENCE_CHECK_IDS = [
  'structure',
  'signature',
  'trust',
  'attachments',
  'decision-log',
  'counts',
] as const;

export const evidenceCheckSchema = z.object({
  id: z.enum(EVIDENCE_CHECK_IDS),
  name: z.string(),
  /** 'not-checked': nothing to check against (trust without fingerprints), or an earlier check it needs failed. */
  status: z.enum(['passed', 'failed', 'not-checked']),
  /** False only for 'failed'. */
  ok: z.boolean(),
  message: z.string(),
});

const countsSchema = z.object({
  inScope: z.number().int(),
  decided: z.number().int(),
  exceptions: z.number().int(),
  pending: z.number().int(),
  certify: z.number().int(),
  revoke: z.number().int(),
  reassign: z.number().int(),
});

export const evidenceVerificationSchema = z.object({
  /** True only when every check passed (trust may be 'not-checked'). */
  ok: z.boolean(),
  /** The first failed check: the verdict. Null when ok. */
  failedCheck: z.enum(EVIDENCE_CHECK_IDS).nullable(),
  /** One sentence: "Verified: ..." or "Not verified: <check>: <why>". */
  verdict: z.string(),
  checks: z.array(evidenceCheckSchema),
  /** From the signature's certificate, when the signature could be read. */
  signer: z
    .object({
      name: z.string(),
      email: z.string().nullable(),
      fingerprint: z.string(),
      /** The signing-time attribute: the signer's clock, not a trusted timestamp. */
      signingTime: z.string().nullable(),
      notBefore: z.string(),
      notAfter: z.string(),
      /** Null when no --trust fingerprint was given. */
      trusted: z.boolean().nullable(),
    })
    .nullable(),
  campaign: z.object({ id: z.number().int(), name: z.string(), state: z.string() }).nullable(),
  logHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  counts: countsSchema.nullable(),
});

const verificationSample = {
  ok: true,
  failedCheck: null,
  verdict: 'Verified: signed by Dana Whitfield (trusted fingerprint); decision log of 214 records, head 214.',
  checks: [
    {
      id: 'structure' as const,
      name: 'Signed range',
      status: 'passed' as const,
      ok: true,
      message: 'One signature covers the whole file except its own contents.',
    },
    {
      id: 'signature' as const,
      name: 'Signature',
      status: 'passed' as const,
      ok: true,
      message: 'The CMS signature of Dana Whitfield verifies over the signed bytes (SHA-256).',
    },
    {
      id: 'trust' as const,
      name: 'Trusted certificate',
      status: 'passed' as const,
      ok: true,
      message: `The signer's fingerprint ${FINGERPRINT_SAMPLE} is among the trusted ones.`,
    },
    {
      id: 'attachments' as const,
      name: 'Embedded files',
      status: 'passed' as const,
      ok: true,
      message:
        'evidence-manifest.json, decision-log.json and population.csv are embedded and match the manifest.',
    },
    {
      id: 'decision-log' as const,
      name: 'Decision log',
      status: 'passed' as const,
      ok: true,
      message: '214 records chain from genesis to the printed head 214.',
    },
    {
      id: 'counts' as const,
      name: 'Counts',
      status: 'passed' as const,
      ok: true,
      message: '120 in scope = 117 decided + 3 exceptions + 0 pending; population.csv and the log agree.',
    },
  ],
  signer: {
    name: 'Dana Whitfield',
    email: 'dana.whitfield@northwind.example',
    fingerprint: FINGERPRINT_SAMPLE,
    signingTime: '2026-12-02T16:40:11.000Z',
    notBefore: '2026-11-24T09:14:02.000Z',
    notAfter: '2031-11-24T09:14:02.000Z',
    trusted: true,
  },
  campaign: { id: 3, name: 'Q4 2026 machine identities', state: 'closed' },
  logHead: { seq: 214, hash: '9c1e5d0f7a3b2e4c6d8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d' },
  counts: { inScope: 120, decided: 117, exceptions: 3, pending: 0, certify: 98, revoke: 15, reassign: 4 },
};

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

export const evidenceExportInputSchema = z
  .object({
    campaignId: z.number().int().positive(),
    /** Where the signed PDF goes (an existing folder); an existing file there is replaced whole. */
    pdfPath: z.string().trim().min(1).max(4096),
    /** Where the XLSX workpapers go, when wanted. */
    xlsxPath: z.string().trim().min(1).max(4096).optional(),
    /** Names the task for `task.progress` events and `evidence.cancel`. */
    taskId: z.string().max(100).optional(),
  })
  .strict();

export const evidenceExportOutputSchema = z.object({
  pdfPath: z.string(),
  bytes: z.number().int().nonnegative(),
  /** SHA-256 of the signed PDF as written. */
  sha256: sha256Hex,
  pages: z.number().int().positive(),
  /** Items decided or carried as exceptions. */
  decisions: z.number().int().nonnegative(),
  /** The decision log's head printed in the pack (cover, log page, Info dictionary `StewardLogHead`). */
  logHead: z.object({ seq: z.number().int().nonnegative(), hash: sha256Hex }),
  /** The signing certificate's SHA-256 fingerprint, `AB:CD:...`. */
  signerFingerprint: z.string(),
  xlsxPath: z.string().nullable(),
  xlsxBytes: z.number().int().nonnegative().nullable(),
});

/** A file the user picked in a desktop dialog, or `cancelled` when they closed it. */
const chosenFileSchema = z.object({ cancelled: z.boolean(), path: z.string().nullable() });

export const evidenceExportWithDialogInputSchema = z
  .object({
    campaignId: z.number().int().positive(),
    /** Also ask where to save the XLSX workpapers, and write them. */
    workpapers: z.boolean().default(false),
    /** Names the task for `task.progress` events and `evidence.cancel`. */
    taskId: z.string().max(100).optional(),
  })
  .strict();

/** A file Steward wrote or the user chose in this session's dialogs, handed to the desktop. */
const desktopFileInputSchema = z.object({ path: z.string().min(1).max(4096) }).strict();

export const evidenceEntries = {
  /** The vault's active signing certificate, or null when none was created or imported. VAULT_LOCKED. */
  'signer.get': entry({
    input: noInput,
    output: signerSummarySchema.nullable(),
    samples: [
      { input: {}, output: signerSample },
      { input: {}, output: null },
    ],
  }),

  /**
   * Generates an RSA key and a self-signed certificate (CN = name, emailAddress = email, valid five
   * years) inside the vault and makes it the active signer; a previous signer is retired (its key
   * erased, its certificate kept). Publish the returned fingerprint to auditors. INVALID_INPUT for an
   * empty name or a malformed email; VAULT_LOCKED.
   */
  'signer.create': entry({
    input: z
      .object({ name: z.string().trim().min(1).max(200), email: z.string().trim().min(3).max(320) })
      .strict(),
    output: signerSummarySchema,
    samples: [
      { input: { name: 'Dana Whitfield', email: 'dana.whitfield@northwind.example' }, output: signerSample },
    ],
  }),

  /**
   * Imports the organisation's signing certificate and RSA key from a PKCS#12 (.p12/.pfx) file and makes
   * it the active signer. `password` is a secret: it is never echoed in errors or logs. INVALID_INPUT for
   * a wrong password, a file without a private key, a non-RSA (e.g. ECDSA) key, or a certificate that is
   * expired or not yet valid; INVALID_FILE when the file is not PKCS#12 or cannot be read; VAULT_LOCKED.
   */
  'signer.import': entry({
    input: z.object({ path: z.string().min(1), password: z.string() }).strict(),
    output: signerSummarySchema,
    samples: [
      {
        input: { path: '/home/dana/certs/steward-signing.p12', password: 'correct-p12-password' },
        output: { ...signerSample, origin: 'imported' as const },
      },
    ],
  }),

  /**
   * Verifies a signed evidence PDF without a vault: the signed byte range, the CMS signature, the
   * signer's fingerprint against `trust` (uppercase or lowercase hex, colons optional), the embedded
   * files, the decision log's hash chain up to the printed head, and the counts. The verdict is data
   * (ok false with the first failed check); it throws only INVALID_FILE for a path that cannot be read.
   */
  'evidence.verify': entry({
    input: z.object({ path: z.string().min(1), trust: z.array(z.string().min(1)).default([]) }).strict(),
    output: evidenceVerificationSchema,
    samples: [
      {
        input: { path: '/home/dana/evidence/q4-2026-machine-identities.pdf', trust: [FINGERPRINT_SAMPLE] },
        output: verificationSample,
      },
    ],
  }),
  /**
   * Writes the evidence pack of a launched campaign: a PDF signed with the vault's signer (cover,
   * controls evidenced, population with every snapshot's files and SHA-256, summary charts, every
   * decision by reviewer, revocations, reassignments, exceptions, attestations and close, the decision
   * log head) with the decision log, the population and a manifest attached; and, with `xlsxPath`,
   * the workpapers (Summary, Population, Decisions, Revocations, Reassignments, Exceptions, Rejected
   * rows). Files are written to a temporary name and renamed, so a failure leaves nothing half-written.
   * Progress: `task.progress`. NOT_AVAILABLE without a signer; INVALID_INPUT for an unknown or draft
   * campaign or a folder that cannot be written; CANCELLED; VAULT_LOCKED.
   */
  'evidence.export': entry({
    input: evidenceExportInputSchema,
    output: evidenceExportOutputSchema,
    samples: [
      {
        input: {
          campaignId: 3,
          pdfPath: '/home/dana/evidence/q4-2026-machine-identities.pdf',
          xlsxPath: '/home/dana/evidence/q4-2026-machine-identities.xlsx',
          taskId: 'evidence-3',
        },
        output: {
          pdfPath: '/home/dana/evidence/q4-2026-machine-identities.pdf',
          bytes: 412_388,
          sha256: '5d2a0c8e1f4b7a9d3e6c0b2f8a1d4e7c9b3f6a0d2e5c8b1f4a7d0e3c6b9f2a5d',
          pages: 41,
          decisions: 120,
          logHead: { seq: 214, hash: '9c1e5d0f7a3b2e4c6d8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d' },
          signerFingerprint: FINGERPRINT_SAMPLE,
          xlsxPath: '/home/dana/evidence/q4-2026-machine-identities.xlsx',
          xlsxBytes: 38_912,
        },
      },
    ],
  }),

  /**
   * `evidence.export` for the desktop: asks in the save dialog where the PDF goes (and then where the
   * workpapers go, with `workpapers`), proposing names from the campaign, then writes them with the same
   * progress events and cancellation. Checks the campaign and the signer before asking, so a pack that
   * cannot be written never costs a dialog. Closing a dialog writes nothing (`cancelled`).
   * NOT_AVAILABLE without a signer or without a desktop; the errors of `evidence.export` otherwise.
   */
  'evidence.exportWithDialog': entry({
    input: evidenceExportWithDialogInputSchema,
    output: z.object({ cancelled: z.boolean(), export: evidenceExportOutputSchema.nullable() }),
    samples: [
      {
        input: { campaignId: 3, workpapers: true, taskId: 'evidence-3' },
        output: {
          cancelled: false,
          export: {
            pdfPath: '/home/dana/evidence/steward-evidence-q4-2026-machine-identities.pdf',
            bytes: 412_388,
            sha256: '5d2a0c8e1f4b7a9d3e6c0b2f8a1d4e7c9b3f6a0d2e5c8b1f4a7d0e3c6b9f2a5d',
            pages: 41,
            decisions: 120,
            logHead: { seq: 214, hash: '9c1e5d0f7a3b2e4c6d8f0a1b3c5d7e9f1a2b4c6d8e0f1a3b5c7d9e1f3a5b7c9d' },
            signerFingerprint: FINGERPRINT_SAMPLE,
            xlsxPath: '/home/dana/evidence/steward-evidence-q4-2026-machine-identities.xlsx',
            xlsxBytes: 38_912,
          },
        },
      },
      { input: { campaignId: 3, workpapers: false }, output: { cancelled: true, export: null } },
    ],
  }),

  /** Shows the desktop's open dialog for a signing certificate (.p12 / .pfx). NOT_AVAILABLE without a desktop. */
  'signer.chooseFile': entry({
    input: noInput,
    output: chosenFileSchema,
    samples: [
      { input: {}, output: { cancelled: false, path: '/home/dana/certs/steward-signing.p12' } },
      { input: {}, output: { cancelled: true, path: null } },
    ],
  }),

  /** Shows the desktop's open dialog for an evidence PDF to verify. NOT_AVAILABLE without a desktop. */
  'evidence.chooseFile': entry({
    input: noInput,
    output: chosenFileSchema,
    samples: [
      {
        input: {},
        output: { cancelled: false, path: '/home/dana/evidence/q4-2026-machine-identities.pdf' },
      },
    ],
  }),

  /**
   * Opens a PDF or XLSX in the system's default application. Only a file Steward wrote or the user chose
   * in one of this session's dialogs: INVALID_INPUT names why any other path is refused (or why the
   * desktop could not open it); NOT_AVAILABLE without a desktop.
   */
  'evidence.openFile': entry({
    input: desktopFileInputSchema,
    output: z.object({ opened: z.literal(true) }),
    samples: [
      {
        input: { path: '/home/dana/evidence/steward-evidence-q4-2026-machine-identities.pdf' },
        output: { opened: true },
      },
    ],
  }),

  /** Shows a file Steward wrote (or the user chose) selected in the system's file manager; as `evidence.openFile`. */
  'evidence.showFile': entry({
    input: desktopFileInputSchema,
    output: z.object({ shown: z.literal(true) }),
    samples: [
      {
        input: { path: '/home/dana/evidence/steward-evidence-q4-2026-machine-identities.xlsx' },
        output: { shown: true },
      },
    ],
  }),

  /**
   * Stops a running `evidence.export` or `evidence.exportWithDialog` by its task id; nothing is written.
   * False when no such task runs.
   */
  'evidence.cancel': entry({
    input: z.object({ taskId: z.string().min(1).max(100) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
    samples: [{ input: { taskId: 'evidence-3' }, output: { cancelled: true } }],
  }),
} as const;
