import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { substituteConnector } from '../../../electron/core/connectors/connector-lookup';
import { createCore, type Core } from '../../../electron/core/core';
import { Vault } from '../../../electron/core/vault/vault';
import type { CoreEvent } from '../../../shared/api/events';
import { loopbackConnector, loopbackItems, LoopbackSource } from '../../support/loopback-connector';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';

const TOKEN = 'ghp_frameworktesttoken0000000000000a1b2';

let source: LoopbackSource;
let folder: string;
let core: Core;
let restore: () => void;
const events: CoreEvent[] = [];

beforeEach(async () => {
  source = await new LoopbackSource({ token: TOKEN, items: loopbackItems(5), pageSize: 2 }).start();
  restore = substituteConnector(loopbackConnector());
  folder = tempFolder();
  core = createCore({ vaultFolder: folder });
  core.onEvent((event) => events.push(event));
  events.length = 0;
  expect(await core.dispatch('vault.create', { passphrase: TEST_PASSPHRASE })).toMatchObject({ ok: true });
});

afterEach(async () => {
  core.close();
  restore();
  await source.stop();
});

async function value<T>(
  promise: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>,
): Promise<T> {
  const result = await promise;
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.error)}`);
  return result.value;
}

async function addProfile(name = 'nwl-github', token = TOKEN) {
  return value(
    core.dispatch('connectors.add', {
      name,
      type: 'github',
      options: { org: 'northwind-logistics', baseUrl: source.baseUrl },
      secrets: { token },
    }),
  );
}

describe('connector profiles', () => {
  it('stores a profile with its secrets masked in every answer, and lists it', async () => {
    const added = await addProfile();
    expect(added).toMatchObject({
      name: 'nwl-github',
      type: 'github',
      options: { org: 'northwind-logistics', baseUrl: source.baseUrl },
      secrets: [{ key: 'token', label: 'Token', masked: 'ghp_…a1b2' }],
      lastPull: null,
    });
    const listed = await value(core.dispatch('connectors.list', {}));
    expect(listed.map((p) => p.name)).toEqual(['nwl-github']);
    expect(JSON.stringify(listed)).not.toContain(TOKEN);
  });

  it('refuses a name already used (whatever its case), an unknown type, and missing options, saying what to do', async () => {
    await addProfile();
    const again = await core.dispatch('connectors.add', {
      name: 'NWL-GitHub',
      type: 'github',
      options: { org: 'x' },
      secrets: { token: TOKEN },
    });
    expect(again).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /already exists.*another name/ },
    });

    const unknown = await core.dispatch('connectors.add', {
      name: 'x',
      type: 'gitlab',
      options: {},
      secrets: {},
    });
    expect(unknown).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /aws, entra, github, kubernetes/ },
    });

    const noOrg = await core.dispatch('connectors.add', {
      name: 'x',
      type: 'github',
      options: { baseUrl: source.baseUrl },
      secrets: { token: TOKEN },
    });
    expect(noOrg).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /Organisation \(org\) is required/ },
    });
    expect(JSON.stringify(noOrg)).not.toContain(TOKEN);

    const noAwsCredentials = await core.dispatch('connectors.add', {
      name: 'nwl-aws',
      type: 'aws',
      options: { region: 'us-east-1' },
      secrets: {},
    });
    expect(noAwsCredentials).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /access key .* or a named profile/ },
    });

    const notInstalled = await core.dispatch('connectors.add', {
      name: 'y',
      type: 'entra',
      options: { tenantId: 't', clientId: 'c' },
      secrets: { clientSecret: 'secret-value-1234' },
    });
    // Either this build has the Entra connector (then its schema judges) or it says it has none.
    if (!notInstalled.ok) expect(notInstalled.error.message).not.toContain('secret-value-1234');
  });

  it('reports a missing profile by name and lists the ones that exist', async () => {
    await addProfile();
    expect(await core.dispatch('connectors.pull', { name: 'prod' })).toMatchObject({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: 'There is no connector named "prod". The connectors are: "nwl-github".',
      },
    });
  });

  it('rotates the secrets and keeps the options', async () => {
    await addProfile('nwl-github', 'ghp_wrongwrongwrongwrongwrong0000');
    const tested = await value(core.dispatch('connectors.test', { name: 'nwl-github' }));
    expect(tested[0]).toMatchObject({ name: 'Sign in', ok: false });
    const rotated = await value(
      core.dispatch('connectors.updateSecrets', { name: 'nwl-github', secrets: { token: TOKEN } }),
    );
    expect(rotated.secrets[0]!.masked).toBe('ghp_…a1b2');
    expect(rotated.options.org).toBe('northwind-logistics');
    expect((await value(core.dispatch('connectors.test', { name: 'nwl-github' }))).every((c) => c.ok)).toBe(
      true,
    );
  });

  it('removes a profile but keeps its snapshots, identities and pull history, and says so', async () => {
    await addProfile();
    await value(core.dispatch('connectors.pull', { name: 'nwl-github' }));
    const removed = await value(core.dispatch('connectors.remove', { name: 'nwl-github' }));
    expect(removed).toMatchObject({ name: 'nwl-github', snapshotsKept: 1 });
    expect(removed.message).toMatch(/1 snapshot, the identities they brought and its pull history stay/);
    expect(await value(core.dispatch('connectors.list', {}))).toEqual([]);
    expect((await value(core.dispatch('identities.list', { limit: 50 }))).total).toBe(5);
    expect(await value(core.dispatch('connectors.pulls', { name: 'nwl-github' }))).toHaveLength(1);
  });
});

describe('kubernetes profiles', () => {
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: prod',
    '  cluster: {server: "https://127.0.0.1:6443"}',
    'users:',
    '- name: auditor',
    '  user: {token: "k8s-token-ABCDEFGHIJKLMNOP"}',
    'contexts:',
    '- name: prod-eks',
    '  context: {cluster: prod, user: auditor}',
    'current-context: prod-eks',
    '',
  ].join('\n');

  it('reads the kubeconfig at add time and refuses a missing file, a file that is not YAML and an unknown context', async () => {
    const folder = tempFolder();
    const good = join(folder, 'config');
    writeFileSync(good, kubeconfig);
    const notYaml = join(folder, 'not-yaml');
    writeFileSync(notYaml, 'clusters: [\n  token: k8s-token-ABCDEFGHIJKLMNOP\n');
    const add = (options: Record<string, string>) =>
      core.dispatch('connectors.add', { name: 'prod-cluster', type: 'kubernetes', options, secrets: {} });

    const missing = await add({ kubeconfigFile: join(folder, 'nope') });
    // With no kubernetes connector in this build the type is refused first; with one, the file is.
    const available = (await value(core.dispatch('connectors.types', {}))).find(
      (t) => t.type === 'kubernetes',
    )!.available;
    if (!available) {
      expect(missing).toMatchObject({ ok: false, error: { code: 'NOT_AVAILABLE' } });
      return;
    }
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT', message: /cannot be read \(ENOENT\)/ },
    });
    const bad = await add({ kubeconfigFile: notYaml });
    expect(bad).toMatchObject({
      ok: false,
      error: { message: /not a kubeconfig: it cannot be read as YAML/ },
    });
    expect(JSON.stringify(bad)).not.toContain('k8s-token');
    expect(await add({ kubeconfigFile: good, context: 'staging' })).toMatchObject({
      ok: false,
      error: { message: /has no context "staging". Its contexts: prod-eks/ },
    });
    const added = await value(add({ kubeconfigFile: good }));
    expect(added.secrets[0]).toMatchObject({
      key: 'kubeconfig',
      masked: expect.stringMatching(/^•••• \(\d+ characters\)$/),
    });
  });
});

describe('pulls', () => {
  it('pulls every page into one snapshot named after the profile, with the responses hashed as its files', async () => {
    await addProfile();
    const summary = await value(core.dispatch('connectors.pull', { name: 'nwl-github', taskId: 'pull-1' }));
    expect(summary).toMatchObject({
      source: 'nwl-github',
      format: 'connector',
      preset: 'loopback-test',
      rowsRead: 5,
      imported: 5,
      added: 5,
      full: true,
      alreadyImported: false,
    });
    expect(summary.files.map((f) => f.name)).toEqual([
      'GET /orgs/northwind-logistics/identities?page=1',
      'GET /orgs/northwind-logistics/identities?page=2',
      'GET /orgs/northwind-logistics/identities?page=3',
    ]);
    expect(summary.files.every((f) => /^[0-9a-f]{64}$/.test(f.sha256) && f.bytes > 0)).toBe(true);
    const snapshots = await value(core.dispatch('snapshots.list', { limit: 10 }));
    expect(snapshots[0]).toMatchObject({ source: 'nwl-github', sourceKind: 'github', format: 'connector' });
    const progress = events
      .filter((e) => e.name === 'task.progress')
      .map((e) => e.payload as { taskId: string; label: string });
    expect(progress.some((p) => p.taskId === 'pull-1' && /page 3/.test(p.label))).toBe(true);

    const identities = await value(core.dispatch('identities.list', { limit: 50, sort: 'name' }));
    expect(identities.items.map((i) => [i.name, i.source])).toEqual(
      [1, 2, 3, 4, 5].map((n) => [`deploy-bot-${n}`, 'nwl-github']),
    );
    const pulls = await value(core.dispatch('connectors.pulls', {}));
    expect(pulls[0]).toMatchObject({
      profile: 'nwl-github',
      outcome: 'ok',
      snapshotId: summary.snapshotId,
      items: 5,
    });
    const listed = await value(core.dispatch('connectors.list', {}));
    expect(listed[0]!.lastPull).toMatchObject({ outcome: 'ok', items: 5 });
  });

  it('records the connector, its SDK, the endpoint, the account and the options with the snapshot', async () => {
    await addProfile();
    const summary = await value(core.dispatch('connectors.pull', { name: 'nwl-github' }));
    core.close();
    // Straight from the vault: the parameters are part of the population evidence.
    const vault = new Vault(folder);
    await vault.unlock(TEST_PASSPHRASE);
    const row = vault.database
      .prepare('SELECT parameters, imported_by FROM snapshots WHERE id = ?')
      .get(summary.snapshotId) as { parameters: string; imported_by: string };
    vault.lock();
    expect(JSON.parse(row.parameters)).toEqual({
      connector: 'github',
      sdk: 'node fetch (test connector)',
      endpoint: source.baseUrl,
      account: 'northwind-logistics',
      profile: 'nwl-github',
      options: { org: 'northwind-logistics', baseUrl: source.baseUrl },
    });
    expect(row.parameters).not.toContain(TOKEN);
    expect(row.imported_by).toBe(summary.importedBy);
  });

  it('writes nothing when a page fails midway, records the failed pull, and says what failed', async () => {
    await addProfile();
    source.settings.failAtPage = 2;
    const failed = await core.dispatch('connectors.pull', { name: 'nwl-github' });
    expect(failed).toMatchObject({
      ok: false,
      error: { code: 'CONNECTOR_FAILED', message: /page=2 answered 500/ },
    });
    expect(JSON.stringify(failed)).not.toContain(TOKEN);
    expect(await value(core.dispatch('snapshots.list', { limit: 10 }))).toEqual([]);
    expect((await value(core.dispatch('identities.list', { limit: 50 }))).total).toBe(0);
    const pulls = await value(core.dispatch('connectors.pulls', { name: 'nwl-github' }));
    expect(pulls[0]).toMatchObject({
      outcome: 'failed',
      snapshotId: null,
      message: expect.stringMatching(/\[redacted\]/),
    });
  });

  it('stops on cancel, writes nothing and records the pull as cancelled', async () => {
    await addProfile();
    source.settings.holdPages = true;
    const pulling = core.dispatch('connectors.pull', { name: 'nwl-github', taskId: 'pull-cancel' });
    await source.pageRequested();
    expect(await value(core.dispatch('connectors.cancel', { taskId: 'pull-cancel' }))).toEqual({
      cancelled: true,
    });
    expect(await pulling).toMatchObject({
      ok: false,
      error: { code: 'CANCELLED', message: /Nothing was written/ },
    });
    expect(await value(core.dispatch('snapshots.list', { limit: 10 }))).toEqual([]);
    expect((await value(core.dispatch('connectors.pulls', {})))[0]).toMatchObject({ outcome: 'cancelled' });
  });

  it('locking the vault stops a running pull, which writes nothing and is recorded as cancelled', async () => {
    await addProfile();
    source.settings.holdPages = true;
    const pulling = core.dispatch('connectors.pull', { name: 'nwl-github' });
    await source.pageRequested();
    expect(await core.dispatch('vault.lock', {})).toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(await pulling).toMatchObject({ ok: false, error: { code: 'CANCELLED' } });
    await value(core.dispatch('vault.unlock', { passphrase: TEST_PASSPHRASE }));
    expect(await value(core.dispatch('snapshots.list', { limit: 10 }))).toEqual([]);
    expect((await value(core.dispatch('connectors.pulls', {})))[0]).toMatchObject({ outcome: 'cancelled' });
  });

  it('a second pull of an unchanged source recognises it and adds nothing; a changed one records the changes', async () => {
    await addProfile();
    const first = await value(core.dispatch('connectors.pull', { name: 'nwl-github' }));
    const again = await value(core.dispatch('connectors.pull', { name: 'nwl-github' }));
    expect(again).toMatchObject({ alreadyImported: true, snapshotId: first.snapshotId });
    source.settings.items = source.settings.items
      .slice(0, 4)
      .map((item, index) =>
        index === 0 ? { ...item, owner: 'new.owner@northwindlogistics.example' } : item,
      );
    const changed = await value(core.dispatch('connectors.pull', { name: 'nwl-github' }));
    expect(changed).toMatchObject({ added: 0, changed: 1, unchanged: 3, notSeen: 1 });
  });

  it('runs a pull and an import one after the other, never at once', async () => {
    await addProfile();
    source.settings.holdPages = true;
    const pulling = core.dispatch('connectors.pull', { name: 'nwl-github' });
    await source.pageRequested();
    const csv = join(tempFolder(), 'inventory.csv');
    writeFileSync(csv, 'Account Name,Owner\nbatch-runner,ana.silva@northwindlogistics.example\n');
    let importDone = false;
    const importing = core
      .dispatch('imports.run', { paths: [csv], mapping: { name: 'Account Name', businessOwner: 'Owner' } })
      .then((r) => {
        importDone = true;
        return r;
      });
    // The pull holds the queue while its page is held: however long that lasts, the import waits.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(importDone).toBe(false);
    source.settings.holdPages = false;
    source.release();
    expect(await pulling).toMatchObject({ ok: true });
    expect(await importing).toMatchObject({ ok: true });
    const snapshots = await value(core.dispatch('snapshots.list', { limit: 10 }));
    expect(snapshots.map((s) => s.source).sort()).toEqual(['inventory', 'nwl-github']);
  });
});
