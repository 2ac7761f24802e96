import type { z } from 'zod';
import type { ImportReject, NormalizedIdentity } from '../../../shared/domain/identity';
import type { ImportNote } from '../imports/preset-types';

/**
 * The seam between a source's API and the vault. A connector reads the source (read-only, with the
 * vendor's SDK) and hands back what an import of the equivalent export files would have produced:
 * normalised identities, rejects and notes, plus every response body it read so the snapshot can
 * record their SHA-256 as population evidence. The pull runner (connector-pull.ts) writes the snapshot
 * through the same snapshot writer as a file import: same normalisation, history and dedupe.
 */
export type ConnectorType = 'aws' | 'entra' | 'github' | 'kubernetes';

/** One response body as the source sent it, named after the request that got it. */
export interface PulledResponse {
  /** e.g. `GET /v1.0/servicePrincipals (page 2)` or `GetCredentialReport`. Never holds a secret. */
  name: string;
  body: Buffer;
}

export interface ConnectorPullResult {
  /** The kind of system of record, as the file presets name it: aws, entra, github, kubernetes. */
  sourceKind: string;
  /** The preset whose normalisation the identities went through (e.g. `entra-service-principals`). */
  preset: string;
  /** Where the data came from: the base URL, the API endpoint or the cluster's server. */
  endpoint: string;
  /** The account, tenant, organisation or cluster that was read, when the source says it. */
  account: string | null;
  responses: PulledResponse[];
  identities: NormalizedIdentity[];
  rejects: ImportReject[];
  notes: ImportNote[];
  /** True when the source could not list everything (then nothing is marked not seen). */
  partial?: boolean;
}

/** One check of a connection test, in the order they ran. */
export interface ConnectionCheck {
  /** What was checked, for people: "Sign in", "List service principals (Application.Read.All)". */
  name: string;
  ok: boolean;
  /** What happened; on failure, what to do. Never holds a secret. */
  message: string;
}

export interface ConnectorRunContext {
  signal: AbortSignal;
  /** Reports what the pull is doing ("Reading service principals, page 3") and how many items so far. */
  onProgress(message: string, itemsSoFar: number): void;
}

/**
 * One kind of source. `Options` are the non-secret settings (stored as JSON in the vault and shown
 * as they are); `Secrets` are kept only inside the encrypted vault, never logged, never in an error,
 * shown masked. Errors are AppError with CONNECTOR_AUTH, CONNECTOR_PERMISSION (naming the permission),
 * CONNECTOR_UNREACHABLE (DNS, refused, timeout, TLS) or CONNECTOR_FAILED, and CANCELLED on abort.
 */
export interface Connector<Options, Secrets> {
  type: ConnectorType;
  label: string;
  /** The SDK and its version that did the reading, recorded with every snapshot. */
  sdk: string;
  optionsSchema: z.ZodType<Options>;
  secretsSchema: z.ZodType<Secrets>;
  /** Signs in and tries each read the pull needs, stopping at nothing: every check is reported. */
  test(options: Options, secrets: Secrets, context: ConnectorRunContext): Promise<ConnectionCheck[]>;
  /** Reads the whole population, following every page. A partial failure throws: nothing is kept. */
  pull(options: Options, secrets: Secrets, context: ConnectorRunContext): Promise<ConnectorPullResult>;
}
