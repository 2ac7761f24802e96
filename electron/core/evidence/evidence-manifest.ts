import { z } from 'zod';

/**
 * What an evidence pack carries for machines, shared by the writer (evidence-pack.ts) and the
 * verifier (verify-evidence.ts). The PDF embeds three files; the signature covers them with the rest
 * of the document, so a verifier trusts them once the signature holds:
 *
 * - `evidence-manifest.json`: this schema, the numbers the printed pages state;
 * - `decision-log.json`: the decision log from genesis to `logHead`, an array of DecisionRecord
 *   (`{seq, ts, actor, action, payload, prevHash, hash}`, see decisions/decision-log.ts). The chain
 *   spans every campaign of the vault, so it is embedded whole: a subset could not be recomputed;
 * - `population.csv`: the campaign's review items as launched, one row per item.
 *
 * The log head is also printed on the cover and the log page, and written to the PDF's Info
 * dictionary as `StewardLogHead` ("seq:hash") so tools that only read metadata can see it.
 */
export const EVIDENCE_FORMAT = 'steward-evidence/1';
export const MANIFEST_ATTACHMENT = 'evidence-manifest.json';
export const DECISION_LOG_ATTACHMENT = 'decision-log.json';
export const POPULATION_ATTACHMENT = 'population.csv';

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.number().int().nonnegative();

export const evidenceManifestSchema = z
  .object({
    format: z.literal(EVIDENCE_FORMAT),
    stewardVersion: z.string(),
    generatedAt: z.string(),
    campaign: z.object({
      id: z.number().int().positive(),
      name: z.string(),
      period: z.string().nullable(),
      asOf: z.string(),
      due: z.string().nullable(),
      owner: z.string(),
      state: z.enum(['draft', 'open', 'closed']),
      launchedAt: z.string().nullable(),
      closedAt: z.string().nullable(),
    }),
    /** The decision log's head when the pack was made: the last record of decision-log.json. */
    logHead: z.object({ seq: count, hash: sha256Hex }),
    /** Reconciliation: inScope = decided + exceptions + pending; a closed campaign has pending 0. */
    counts: z.object({
      inScope: count,
      decided: count,
      exceptions: count,
      pending: count,
      certify: count,
      revoke: count,
      reassign: count,
    }),
    snapshots: z.array(
      z.object({
        id: z.number().int().positive(),
        source: z.string(),
        format: z.string(),
        files: z.array(z.object({ name: z.string(), bytes: count, sha256: sha256Hex })),
        rowsRead: count,
        imported: count,
        rejected: count,
        importedAt: z.string(),
        importedBy: z.string(),
      }),
    ),
    /** SHA-256 of the other two attachments as embedded. */
    attachments: z.object({ decisionLog: sha256Hex, population: sha256Hex }),
  })
  .strict();

export type EvidenceManifest = z.output<typeof evidenceManifestSchema>;
