import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../electron/cli/cli';
import { substituteConnector } from '../../../electron/core/connectors/connector-lookup';
import { createCore } from '../../../electron/core/core';
import type { CoreEvent } from '../../../shared/api/events';
import { loopbackConnector, loopbackItems, LoopbackSource } from '../../support/loopback-connector';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';

/**
 * The promise of issue #6: no secret appears in any log, error, or file outside the encrypted vault.
 * A distinctive token is seeded in a profile; the connector is careless on purpose (it quotes the
 * server, which echoes the token back in its error bodies, and it puts the token in a progress
 * message), so only the framework's redaction and the vault's encryption stand between the token and
 * the outside. Everything the CLI printed, every event, every error and every byte of every file in
 * the vault folder (the database, its WAL and journal, the header) is searched for it.
 */
const SECRET = `ghp_SEEDEDSECRET${randomBytes(12).toString('hex')}`;
/** The token of a second profile that the server refuses, echoing it in its 401 body. */
const REFUSED = `ghp_REFUSEDSECRET${randomBytes(12).toString('hex')}`;
/** The bearer token inside a kubeconfig, which the loopback server refuses and echoes. */
const KUBE_TOKEN = `k8sSEEDEDSECRET${randomBytes(12).toString('hex')}`;
const SECRETS = [SECRET, REFUSED, KUBE_TOKEN];

let source: LoopbackSource;
let restore: () => void;
let processOutput: string[];
let unpatch: () => void;

beforeEach(async () => {
  source = await new LoopbackSource({ token: SECRET, items: loopbackItems(5), pageSize: 2 }).start();
  restore = substituteConnector(loopbackConnector({ leakyProgress: true }));
  // Anything written straight to this process's stdout or stderr (a stray log) is kept too.
  processOutput = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    processOutput.push(String(chunk));
    return out(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    processOutput.push(String(chunk));
    return err(chunk, ...rest);
  }) as typeof process.stderr.write;
  unpatch = () => {
    process.stdout.write = out;
    process.stderr.write = err;
  };
});

afterEach(async () => {
  unpatch();
  restore();
  await source.stop();
});

/** Every file under `folder`, recursively. */
function filesUnder(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The forms a secret could be written in: as it is, UTF-16 (SQLite can store text so), Base64. */
function encodings(secret: string): Buffer[] {
  return [
    Buffer.from(secret, 'utf8'),
    Buffer.from(secret, 'utf16le'),
    Buffer.from(Buffer.from(secret).toString('base64').slice(0, 24)),
  ];
}

describe('a seeded secret', () => {
  it('appears in no CLI output, event, error, pull record or file of the vault folder', async () => {
    const data = tempFolder('steward-secret-vault-');
    const printed: string[] = [];
    const cli = async (args: string[], extraEnv: Record<string, string> = {}) => {
      const code = await runCli(['--data', data, ...args], {
        stdout: (text) => printed.push(text),
        stderr: (text) => printed.push(text),
        env: { STEWARD_PASSPHRASE: TEST_PASSPHRASE, ...extraEnv },
        interactive: false,
        version: '0.0.0-test',
      });
      return code;
    };

    expect(await cli(['init'])).toBe(0);
    const options = ['--type', 'github', '--org', 'northwind-logistics', '--base-url', source.baseUrl];
    expect(await cli(['connector', 'add', 'nwl-github', ...options], { STEWARD_GITHUB_TOKEN: SECRET })).toBe(
      0,
    );
    expect(await cli(['connector', 'add', 'refused', ...options], { GITHUB_TOKEN: REFUSED })).toBe(0);
    expect(await cli(['connector', 'list'])).toBe(0);
    expect(await cli(['connector', 'list', '--json'])).toBe(0);
    expect(await cli(['connector', 'test', 'nwl-github', '--json'])).toBe(0);
    expect(await cli(['connector', 'test', 'refused'])).toBe(1);
    expect(await cli(['pull', 'refused', '--json'])).toBe(1);
    // Rotating puts the right token in place (from the environment again, never argv).
    const rotatedSecretsBefore = printed.length;
    expect(await cli(['connector', 'rotate', 'refused'], { STEWARD_GITHUB_TOKEN: SECRET })).toBe(0);
    expect(printed.slice(rotatedSecretsBefore).join('')).toMatch(/Rotated refused/);
    expect(await cli(['connector', 'test', 'refused'])).toBe(0);
    expect(await cli(['connector', 'rotate', 'nope'], { STEWARD_GITHUB_TOKEN: SECRET })).toBe(2);
    // Back to the refused token for the rest of the test.
    expect(await cli(['connector', 'rotate', 'refused'], { GITHUB_TOKEN: REFUSED })).toBe(0);
    expect(await cli(['pull', 'nwl-github', '--json'])).toBe(0);
    source.settings.failAtPage = 2;
    source.settings.items = loopbackItems(6);
    expect(await cli(['pull', 'nwl-github'])).toBe(1);
    source.settings.failAtPage = undefined;

    // The real Kubernetes connector, its kubeconfig's token refused (and echoed) by the loopback server.
    const kubeconfig = join(tempFolder('steward-secret-kube-'), 'config');
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        `clusters: [{name: loop, cluster: {server: "${source.baseUrl}", insecure-skip-tls-verify: true}}]`,
        `users: [{name: auditor, user: {token: "${KUBE_TOKEN}"}}]`,
        'contexts: [{name: loop, context: {cluster: loop, user: auditor}}]',
        'current-context: loop',
      ].join('\n'),
    );
    expect(
      await cli(['connector', 'add', 'loop-cluster', '--type', 'kubernetes', '--kubeconfig', kubeconfig]),
    ).toBe(0);
    expect(await cli(['connector', 'test', 'loop-cluster'])).toBe(1);
    expect(await cli(['pull', 'loop-cluster', '--json'])).toBe(1);

    // The same through the core, with every event and every answer kept.
    const core = createCore({ vaultFolder: data });
    const events: CoreEvent[] = [];
    core.onEvent((event) => events.push(event));
    const answers: unknown[] = [];
    const ask = async (method: string, input: unknown) => {
      const answer = await core.dispatch(method, input);
      answers.push(answer);
      return answer;
    };
    await ask('vault.unlock', { passphrase: TEST_PASSPHRASE });
    await ask('connectors.list', {});
    await ask('connectors.test', { name: 'refused', taskId: 'test-1' });
    await ask('connectors.test', { name: 'loop-cluster', taskId: 'test-2' });
    await ask('connectors.pull', { name: 'loop-cluster', taskId: 'pull-0' });
    source.settings.failAtPage = 3;
    const failed = await ask('connectors.pull', { name: 'nwl-github', taskId: 'pull-1' });
    expect(failed).toMatchObject({ ok: false, error: { code: 'CONNECTOR_FAILED' } });
    source.settings.failAtPage = undefined;
    source.settings.items = loopbackItems(7);
    expect(await ask('connectors.pull', { name: 'nwl-github', taskId: 'pull-2' })).toMatchObject({
      ok: true,
    });
    await ask('connectors.updateSecrets', { name: 'refused', secrets: { token: 'x' } });
    await ask('connectors.add', { name: 'bad', type: 'github', options: {}, secrets: { token: SECRET } });
    await ask('connectors.pulls', {});
    await ask('snapshots.list', { limit: 100 });
    await ask('identities.list', { limit: 100 });
    core.close();

    // The careless connector did try: the server saw the token and echoed it, progress carried it.
    expect(source.requests.length).toBeGreaterThan(10);
    expect(source.requests.some((r) => /^GET \/apis?\//.test(r))).toBe(true);
    const progress = events.filter((e) => e.name === 'task.progress');
    expect(progress.some((e) => JSON.stringify(e).includes('[redacted]'))).toBe(true);
    expect(JSON.stringify(answers)).toContain('[redacted]');

    const texts = {
      printed: printed.join(''),
      events: JSON.stringify(events),
      answers: JSON.stringify(answers),
      process: processOutput.join(''),
    };
    for (const [where, text] of Object.entries(texts)) {
      for (const secret of SECRETS) expect(text, where).not.toContain(secret);
    }
    expect(texts.printed).toMatch(/ghp_…/);

    const files = filesUnder(data);
    expect(files.some((f) => f.endsWith('steward.db'))).toBe(true);
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const secret of SECRETS) {
        for (const form of encodings(secret))
          expect(bytes.includes(form), `${file} holds the secret`).toBe(false);
      }
    }
  });
});
