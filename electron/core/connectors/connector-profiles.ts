import { readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { z } from 'zod';
import type {
  ConnectorProfileRecord,
  ConnectorPullRecord,
} from '../../../shared/api/entries/connector-entries';
import { AppError } from '../../../shared/api/errors';
import type { Db } from '../db/open-database';
import { CONNECTOR_TYPE_INFO, CONNECTOR_TYPES, profileTarget } from './connector-fields';
import { lookupConnector, type AnyConnector } from './connector-lookup';
import type { ConnectorType } from './connector-types';
import { maskSecret, redactSecrets } from './secret-redaction';

/** A profile as stored, secrets included: never leaves the core (see `describeProfile`). */
export interface StoredProfile {
  name: string;
  type: ConnectorType;
  options: Record<string, string>;
  secrets: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface NewProfile {
  name: string;
  type: string;
  options: Record<string, string>;
  secrets: Record<string, string>;
}

/** A kubeconfig larger than this is not a kubeconfig. */
const MAX_KUBECONFIG_BYTES = 1024 * 1024;

interface ProfileRow {
  name: string;
  type: ConnectorType;
  options: string;
  secrets: string;
  created_at: string;
  updated_at: string;
}

interface PullRow {
  id: number;
  profile_name: string;
  type: ConnectorType;
  started_at: string;
  finished_at: string;
  outcome: 'ok' | 'failed' | 'cancelled';
  snapshot_id: number | null;
  message: string | null;
  items: number;
  started_by: string;
}

/** The connector of a type, or a clear error saying which types exist and which this build has. */
export async function connectorOfType(type: string): Promise<AnyConnector> {
  if (!(CONNECTOR_TYPES as string[]).includes(type)) {
    throw new AppError(
      'INVALID_INPUT',
      `"${type}" is not a connector type. Use one of: ${CONNECTOR_TYPES.join(', ')}.`,
    );
  }
  const connector = await lookupConnector(type as ConnectorType);
  if (!connector) {
    const found = await Promise.all(
      CONNECTOR_TYPES.map(async (t) => ((await lookupConnector(t)) ? t : null)),
    );
    const available = found.filter((t): t is ConnectorType => t !== null);
    throw new AppError(
      'NOT_AVAILABLE',
      `This build of Steward has no ${CONNECTOR_TYPE_INFO[type as ConnectorType].label} connector yet. ` +
        (available.length > 0 ? `Available: ${available.join(', ')}.` : 'Import its export files instead.'),
    );
  }
  return connector;
}

/**
 * Stores a new profile: the connector's own schemas judge the options and secrets (their messages
 * are shown field by field, never the values), the name must be free. For kubernetes the kubeconfig
 * is read here, from the file the options name, and its context checked.
 */
export async function addProfile(db: Db, request: NewProfile, now = new Date()): Promise<StoredProfile> {
  const name = request.name.trim();
  const connector = await connectorOfType(request.type);
  const type = connector.type;
  const taken = findProfileRow(db, name);
  if (taken) {
    throw new AppError(
      'INVALID_INPUT',
      `A connector named "${taken.name}" already exists. Choose another name, or remove that one first.`,
    );
  }
  const rawOptions = dropEmpty(request.options);
  let rawSecrets = dropEmpty(request.secrets);
  if (type === 'kubernetes') {
    rawSecrets = await withKubeconfig(rawOptions, rawSecrets);
  }
  if (type === 'aws' && !rawOptions.profile && !rawSecrets.accessKeyId) {
    // The SDK would otherwise fall back to whatever credentials this machine happens to have.
    throw new AppError(
      'INVALID_INPUT',
      'Give the AWS connector an access key (access key id and secret access key) or a named profile (--profile).',
    );
  }
  const options = validate(connector.optionsSchema, rawOptions, 'options', type, rawSecrets);
  const secrets = validate(connector.secretsSchema, rawSecrets, 'secrets', type, rawSecrets);
  const at = now.toISOString();
  db.prepare(
    `INSERT INTO connector_profiles (name, type, options, secrets, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(name, type, JSON.stringify(options), JSON.stringify(secrets), at, at);
  return getProfile(db, name);
}

/** The stored profile with its secrets, for the pull runner and the connection test only. */
export function getProfile(db: Db, name: string): StoredProfile {
  const row = findProfileRow(db, name);
  if (!row) {
    const names = (db.prepare('SELECT name FROM connector_profiles ORDER BY name').pluck().all() as string[])
      .map((n) => `"${n}"`)
      .join(', ');
    throw new AppError(
      'INVALID_INPUT',
      `There is no connector named "${name.trim()}". ` +
        (names ? `The connectors are: ${names}.` : 'Add one first (connector add NAME --type TYPE).'),
    );
  }
  return {
    name: row.name,
    type: row.type,
    options: JSON.parse(row.options) as Record<string, string>,
    secrets: JSON.parse(row.secrets) as Record<string, string>,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Every profile as the user may see it: options as they are, secrets masked, the last pull. */
export function listProfiles(db: Db): ConnectorProfileRecord[] {
  const names = db
    .prepare('SELECT name FROM connector_profiles ORDER BY name COLLATE NOCASE')
    .pluck()
    .all() as string[];
  return names.map((name) => describeProfile(db, getProfile(db, name)));
}

export function describeProfile(db: Db, profile: StoredProfile): ConnectorProfileRecord {
  const info = CONNECTOR_TYPE_INFO[profile.type];
  const labelOf = (key: string) => info.secrets.find((f) => f.key === key)?.label ?? key;
  return {
    name: profile.name,
    type: profile.type,
    typeLabel: info.label,
    target: profileTarget(profile.type, profile.options),
    options: stringValues(profile.options),
    secrets: Object.entries(profile.secrets)
      .filter(([, value]) => typeof value === 'string' && value !== '')
      .map(([key, value]) => ({ key, label: labelOf(key), masked: maskSecret(value) })),
    createdAt: profile.createdAt,
    updatedAt: profile.updatedAt,
    lastPull: listPulls(db, profile.name, 1)[0] ?? null,
  };
}

/** Replaces the secrets of a profile (a rotated token), checked by the connector's schema. */
export async function updateSecrets(
  db: Db,
  name: string,
  secrets: Record<string, string>,
  now = new Date(),
): Promise<StoredProfile> {
  const profile = getProfile(db, name);
  const connector = await connectorOfType(profile.type);
  let raw = dropEmpty(secrets);
  if (profile.type === 'kubernetes') raw = await withKubeconfig(profile.options, raw);
  const checked = validate(connector.secretsSchema, raw, 'secrets', profile.type, raw);
  db.prepare('UPDATE connector_profiles SET secrets = ?, updated_at = ? WHERE name = ?').run(
    JSON.stringify(checked),
    now.toISOString(),
    profile.name,
  );
  return getProfile(db, profile.name);
}

/** Deletes a profile and its secrets; its snapshots, identities and pull history stay. */
export function removeProfile(
  db: Db,
  name: string,
): { name: string; snapshotsKept: number; message: string } {
  const profile = getProfile(db, name);
  const snapshotsKept = db
    .prepare(`SELECT count(*) FROM snapshots s JOIN sources src ON src.id = s.source_id WHERE src.name = ?`)
    .pluck()
    .get(profile.name) as number;
  db.prepare('DELETE FROM connector_profiles WHERE name = ?').run(profile.name);
  const kept =
    snapshotsKept === 0
      ? 'It had made no snapshot; its pull history stays in the vault.'
      : `Its ${snapshotsKept} snapshot${snapshotsKept === 1 ? '' : 's'}, the identities they brought and its pull history stay in the vault.`;
  return {
    name: profile.name,
    snapshotsKept,
    message: `Removed the connector "${profile.name}" and its stored credentials. ${kept}`,
  };
}

/** Past pulls, newest first, of one profile (by name, removed ones too) or of all. */
export function listPulls(db: Db, name: string | undefined, limit: number): ConnectorPullRecord[] {
  const rows = (
    name === undefined
      ? db.prepare('SELECT * FROM connector_pulls ORDER BY started_at DESC, id DESC LIMIT ?').all(limit)
      : db
          .prepare(
            'SELECT * FROM connector_pulls WHERE profile_name = ? ORDER BY started_at DESC, id DESC LIMIT ?',
          )
          .all(name.trim(), limit)
  ) as PullRow[];
  return rows.map((row) => ({
    id: row.id,
    profile: row.profile_name,
    type: row.type,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    snapshotId: row.snapshot_id,
    message: row.message,
    items: row.items,
    startedBy: row.started_by,
  }));
}

function findProfileRow(db: Db, name: string): ProfileRow | undefined {
  return db.prepare('SELECT * FROM connector_profiles WHERE name = ?').get(name.trim()) as
    ProfileRow | undefined;
}

function dropEmpty(values: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (typeof value === 'string' && value.trim() !== '')
      result[key] = key === 'kubeconfig' ? value : value.trim();
  }
  return result;
}

function stringValues(values: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && value !== null)
      result[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return result;
}

/**
 * Runs a connector's schema and turns its complaints into one message naming each field by the label
 * the user saw. Values never appear in it (zod's messages do not quote them; redaction makes sure).
 */
function validate<T>(
  schema: z.ZodType<T>,
  values: Record<string, string>,
  what: 'options' | 'secrets',
  type: ConnectorType,
  secrets: Record<string, string>,
): T {
  const parsed = schema.safeParse(values);
  if (parsed.success) return parsed.data;
  const fields = CONNECTOR_TYPE_INFO[type][what];
  const problems = parsed.error.issues.map((issue) => {
    const key = issue.path[0];
    const field = fields.find((f) => f.key === key);
    const label = field ? `${field.label} (${field.key})` : typeof key === 'string' ? key : what;
    const missing = issue.code === 'invalid_type' && values[String(key)] === undefined;
    return missing ? `${label} is required.` : `${label}: ${issue.message}`;
  });
  throw new AppError(
    'INVALID_INPUT',
    redactSecrets(
      `The ${CONNECTOR_TYPE_INFO[type].label} connector's ${what === 'options' ? 'settings' : 'credentials'} are not valid: ${problems.join(' ')}`,
      secrets,
    ),
  );
}

/**
 * The kubeconfig is read from the file the options name (once, now: it holds tokens and keys, so from
 * here on it lives only in the vault), checked to be a kubeconfig, and the context to be one of its.
 */
async function withKubeconfig(
  options: Record<string, string>,
  secrets: Record<string, string>,
): Promise<Record<string, string>> {
  let kubeconfig = secrets.kubeconfig;
  const file = options.kubeconfigFile;
  if (kubeconfig === undefined) {
    if (!file) {
      throw new AppError(
        'INVALID_INPUT',
        'Name the kubeconfig file to read (--kubeconfig FILE): its cluster, user and context are what the connector uses.',
      );
    }
    if (!isAbsolute(file)) {
      throw new AppError('INVALID_INPUT', `Give the kubeconfig file as a full path; "${file}" is relative.`);
    }
    let size: number;
    try {
      const stat = statSync(file);
      if (!stat.isFile()) throw new AppError('INVALID_INPUT', `${file} is a folder, not a kubeconfig file.`);
      size = stat.size;
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(
        'INVALID_INPUT',
        `The kubeconfig file ${file} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}). Check the path.`,
      );
    }
    if (size > MAX_KUBECONFIG_BYTES) {
      throw new AppError('INVALID_INPUT', `${file} is ${size} bytes: too large to be a kubeconfig.`);
    }
    kubeconfig = readFileSync(file, 'utf8');
  }
  const contexts = await kubeconfigContexts(kubeconfig, file ?? 'The kubeconfig');
  const context = options.context;
  if (context !== undefined && !contexts.names.includes(context)) {
    throw new AppError(
      'INVALID_INPUT',
      `${file ?? 'The kubeconfig'} has no context "${context}". Its contexts: ${contexts.names.join(', ') || 'none'}.`,
    );
  }
  if (context === undefined && !contexts.current) {
    throw new AppError(
      'INVALID_INPUT',
      `${file ?? 'The kubeconfig'} has no current-context. Name one with --context: ${contexts.names.join(', ')}.`,
    );
  }
  return { ...secrets, kubeconfig };
}

/**
 * Parses a kubeconfig with the Kubernetes SDK's own loader, so what passes here is what the connector
 * can load. Parser messages quote the file's lines, which may hold a token: only the line number is
 * kept.
 */
async function kubeconfigContexts(
  yaml: string,
  where: string,
): Promise<{ names: string[]; current: string | null }> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  try {
    config.loadFromString(yaml);
  } catch (error) {
    const line = (error as { mark?: { line?: number } }).mark?.line;
    throw new AppError(
      'INVALID_INPUT',
      `${where} is not a kubeconfig: it cannot be read as YAML${line !== undefined ? ` (line ${line + 1})` : ''}. ` +
        'Give the file kubectl uses (kubectl config view --raw --minify shows it).',
    );
  }
  const names = config.getContexts().map((c) => c.name);
  if (names.length === 0 || config.getClusters().length === 0) {
    throw new AppError(
      'INVALID_INPUT',
      `${where} is not a kubeconfig: it names no cluster or no context. Give the file kubectl uses.`,
    );
  }
  const current = config.getCurrentContext();
  return { names, current: current && names.includes(current) ? current : null };
}
