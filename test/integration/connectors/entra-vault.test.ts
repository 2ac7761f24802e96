import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import type { IdentityRecord } from '../../../shared/api/schemas/inventory';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';
import { CLIENT_ID, startEntraServer, TENANT_ID, type EntraServer } from './support/entra-server';

/**
 * The Entra connector through the real framework and vault: a pull lands in the Inventory with the
 * same fields as the file import of the same export, and the client secret is nowhere on disk in
 * the clear.
 */
const FIXTURES = join(import.meta.dirname, '../../fixtures/entra');
const FILES = [
  'servicePrincipals_page1.json',
  'servicePrincipals_page2.json',
  'servicePrincipalSignInActivities.json',
].map((name) => join(FIXTURES, name));
const SECRET = 'Vq7~Lm3pR9tXz2Kc8Wn.Hd5Jf1Bg4Ys0Ua';
const AS_OF = '2026-11-24';

let server: EntraServer;
let imported: Core | undefined;
let pulled: Core | undefined;

async function value<T>(
  promise: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>,
): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

async function openCore(folder: string): Promise<Core> {
  const core = createCore({ vaultFolder: folder });
  await value(core.dispatch('vault.create', { passphrase: TEST_PASSPHRASE }));
  return core;
}

async function everything(
  core: Core,
): Promise<Array<Omit<IdentityRecord, 'id' | 'source'> & { attributes: unknown }>> {
  const list = await value(core.dispatch('identities.list', { limit: 1000, asOf: AS_OF, sort: 'name' }));
  expect(list.total).toBe(54);
  return Promise.all(
    list.items.map(async ({ id, source: _source, ...rest }) => {
      const detail = await value(core.dispatch('identities.get', { id, asOf: AS_OF }));
      return { ...rest, attributes: detail.attributes };
    }),
  );
}

function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

beforeAll(async () => {
  server = await startEntraServer(FIXTURES, SECRET);
});

afterEach(() => {
  imported?.close();
  pulled?.close();
  imported = pulled = undefined;
});

afterAll(async () => {
  await server?.close();
});

describe('entra pull through the vault', () => {
  it('shows up in the Inventory with the same fields as the file import, and the secret stays in the vault', async () => {
    imported = await openCore(tempFolder());
    const pulledFolder = tempFolder();
    pulled = await openCore(pulledFolder);
    const importSummary = await value(imported.dispatch('imports.run', { paths: FILES }));
    expect(importSummary.preset).toBe('entra-service-principals');

    const profile = await value(
      pulled.dispatch('connectors.add', {
        name: 'nwl-entra',
        type: 'entra',
        options: {
          tenantId: TENANT_ID,
          clientId: CLIENT_ID,
          authorityHost: server.baseUrl,
          graphUrl: server.baseUrl,
          caCertificates: server.caPem,
          maxAttempts: '2',
          retryBaseDelayMs: '10',
        },
        secrets: { clientSecret: SECRET },
      }),
    );
    expect(JSON.stringify(profile)).not.toContain(SECRET);
    const checks = await value(pulled.dispatch('connectors.test', { name: 'nwl-entra' }));
    expect(checks.every((c) => c.ok)).toBe(true);

    const pullSummary = await value(pulled.dispatch('connectors.pull', { name: 'nwl-entra' }));
    expect(pullSummary).toMatchObject({
      source: 'nwl-entra',
      format: 'connector',
      preset: 'entra-service-principals',
      imported: importSummary.imported,
      rejected: 0,
      full: true,
      added: 54,
    });
    expect(pullSummary.files.map((f) => f.name)).toContain('GET /v1.0/servicePrincipals (page 2)');
    expect(JSON.stringify(pullSummary)).not.toContain(SECRET);

    const fromImport = await everything(imported);
    const fromPull = await everything(pulled);
    expect(fromPull).toEqual(fromImport);
    const listed = await value(pulled.dispatch('identities.list', { limit: 1000, asOf: AS_OF }));
    expect(new Set(listed.items.map((i) => i.source))).toEqual(new Set(['nwl-entra']));

    // The secret is inside the encrypted vault only: no file holds it in the clear.
    const files = filesUnder(pulledFolder);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(file).includes(SECRET)).toBe(false);
  });
});
