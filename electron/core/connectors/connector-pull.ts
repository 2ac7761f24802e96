import { createHash } from 'node:crypto';
import { AppError, isAppError } from '../../../shared/api/errors';
import type { ConnectionCheck } from './connector-types';
import type { Db } from '../db/open-database';
import {
  writeSnapshot,
  type ImportItem,
  type SnapshotFile,
  type SnapshotSummary,
} from '../imports/snapshot-writer';
import type { AnyConnector } from './connector-lookup';
import type { StoredProfile } from './connector-profiles';
import { redactSecrets } from './secret-redaction';

export interface ConnectorRunOptions {
  signal: AbortSignal;
  /** Every message here has been redacted of the profile's secrets. */
  onProgress?: (message: string, itemsSoFar: number) => void;
}

export interface ConnectorPullOptions extends ConnectorRunOptions {
  /** Who pulls, as the operating system knows them: recorded with the snapshot and the pull. */
  startedBy: string;
  now?: () => Date;
}

/**
 * Pulls a profile's source and writes one snapshot, exactly as an import of the equivalent export
 * files would (same snapshot writer: normalisation, history, dedupe), with the profile's name as the
 * source and the connector, its SDK, the endpoint, the account and the options as the snapshot's
 * parameters. Each response body the connector read is hashed into the snapshot's files list, the
 * population evidence. The snapshot is one transaction: a failure or a cancel writes none of it. The
 * pull itself is recorded either way, with what failed; every message that leaves here has been
 * redacted of the profile's secrets.
 */
export async function runConnectorPull(
  db: Db,
  profile: StoredProfile,
  connector: AnyConnector,
  options: ConnectorPullOptions,
): Promise<SnapshotSummary> {
  const now = options.now ?? (() => new Date());
  const startedAt = now().toISOString();
  const redact = (text: string) => redactSecrets(text, profile.secrets);
  let itemsSoFar = 0;
  const record = (
    outcome: 'ok' | 'failed' | 'cancelled',
    snapshotId: number | null,
    message: string | null,
  ) =>
    db
      .prepare(
        `INSERT INTO connector_pulls (profile_name, type, started_at, finished_at, outcome, snapshot_id,
                                      message, items, started_by)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        profile.name,
        profile.type,
        startedAt,
        now().toISOString(),
        outcome,
        snapshotId,
        message === null ? null : redact(message),
        itemsSoFar,
        options.startedBy,
      );

  try {
    throwIfCancelled(options.signal);
    const result = await untilAborted(
      connector.pull(profile.options, profile.secrets, {
        signal: options.signal,
        onProgress: (message, items) => {
          itemsSoFar = items;
          options.onProgress?.(redact(message), items);
        },
      }),
      options.signal,
    );
    throwIfCancelled(options.signal);
    itemsSoFar = result.identities.length;
    options.onProgress?.(`Writing ${result.identities.length} identities`, 0);

    async function* items(): AsyncIterable<ImportItem> {
      let row = 0;
      for (const identity of result.identities) {
        row += 1;
        yield { file: `${profile.name} (${connector.label})`, row, outcome: { identity } };
      }
    }
    const summary = await writeSnapshot(
      db,
      {
        sourceName: profile.name,
        sourceKind: result.sourceKind,
        format: 'connector',
        preset: result.preset,
        files: responseFiles(result.responses),
        parameters: {
          connector: connector.type,
          sdk: connector.sdk,
          endpoint: result.endpoint,
          account: result.account,
          profile: profile.name,
          options: profile.options,
        },
        importedBy: options.startedBy,
        full: !result.partial,
        preRejects: result.rejects,
        notes: result.notes,
      },
      items(),
      {
        signal: options.signal,
        onProgress: (done) => options.onProgress?.('Writing identities', done),
        progressEvery: 1_000,
      },
    );
    record(
      'ok',
      summary.snapshotId,
      summary.alreadyImported ? 'The source answered exactly as in an earlier pull.' : null,
    );
    return summary;
  } catch (error) {
    const failure = asConnectorError(
      error,
      options.signal,
      connector.label,
      redact,
      'The pull was cancelled. Nothing was written.',
    );
    try {
      record(failure.code === 'CANCELLED' ? 'cancelled' : 'failed', null, failure.message);
    } catch {
      // The vault could not take the record (a full disk): the user still gets what failed first.
    }
    throw failure;
  }
}

/**
 * Runs the connector's connection test. A connector reports problems as failed checks; should it
 * throw instead, the error becomes one failed check, so the user always gets a list to act on.
 */
export async function runConnectionTest(
  profile: StoredProfile,
  connector: AnyConnector,
  options: ConnectorRunOptions,
): Promise<ConnectionCheck[]> {
  const redact = (text: string) => redactSecrets(text, profile.secrets);
  try {
    const checks = await untilAborted(
      connector.test(profile.options, profile.secrets, {
        signal: options.signal,
        onProgress: (message, items) => options.onProgress?.(redact(message), items),
      }),
      options.signal,
    );
    return checks.map((check) => ({
      name: redact(check.name),
      ok: check.ok,
      message: redact(check.message),
    }));
  } catch (error) {
    const failure = asConnectorError(
      error,
      options.signal,
      connector.label,
      redact,
      'The connection test was cancelled.',
    );
    if (failure.code === 'CANCELLED') throw failure;
    return [{ name: `Connect to ${connector.label}`, ok: false, message: failure.message }];
  }
}

/** The response bodies as snapshot files: name, size, SHA-256; a repeated name gets a counter. */
function responseFiles(responses: ReadonlyArray<{ name: string; body: Buffer }>): SnapshotFile[] {
  const seen = new Map<string, number>();
  return responses.map(({ name, body }) => {
    const count = (seen.get(name) ?? 0) + 1;
    seen.set(name, count);
    return {
      name: count === 1 ? name : `${name} (${count})`,
      bytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    };
  });
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('CANCELLED', 'Cancelled.');
}

/**
 * Settles as soon as the signal aborts, even if a connector is slow to notice: the user's cancel
 * takes effect at once, and whatever the connector still reads is never written.
 */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(new AppError('CANCELLED', 'Cancelled.'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(new AppError('CANCELLED', 'Cancelled.'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error as Error);
      },
    );
  });
}

/**
 * Any failure as an AppError with a redacted message: the connector's own codes stay; anything else
 * (a bug, an SDK error that slipped through) becomes CONNECTOR_FAILED naming the connector.
 */
function asConnectorError(
  error: unknown,
  signal: AbortSignal,
  label: string,
  redact: (text: string) => string,
  cancelled: string,
): AppError {
  if (signal.aborted || (isAppError(error) && error.code === 'CANCELLED'))
    return new AppError('CANCELLED', cancelled);
  if (isAppError(error)) {
    return new AppError(error.code, redact(error.message));
  }
  const detail = error instanceof Error ? error.message : String(error);
  return new AppError(
    'CONNECTOR_FAILED',
    redact(
      `The ${label} connector stopped: ${detail}. Nothing was written; test the connection and try again.`,
    ),
  );
}
