import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runSteward } from '../../support/run-steward';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';
import { startGitHubServer, type GitHubServer } from '../connectors/support/github-server';

const TOKEN = 'ghp_CLItestTOKENvalue000000000000000077c1';
const env = { STEWARD_PASSPHRASE: TEST_PASSPHRASE };

let server: GitHubServer;

beforeAll(async () => {
  ensureCliBuilt();
  server = await startGitHubServer({ token: TOKEN });
});
afterAll(async () => {
  await server.close();
});

async function newVault(): Promise<string> {
  const data = tempFolder();
  expect((await runSteward(['--data', data, 'init'], env)).code).toBe(0);
  return data;
}

// Each run of the bin derives the vault key with scrypt: a dozen runs take a while on a busy machine.
describe(
  'steward connector and pull, through the real bin with the GitHub connector',
  { timeout: 300_000 },
  () => {
    it('adds a profile with the token from the environment, lists it masked, tests it, pulls and lists the identities', async () => {
      const data = await newVault();
      const add = await runSteward(
        [
          '--data',
          data,
          'connector',
          'add',
          'nwl-github',
          '--type',
          'github',
          '--org',
          server.org,
          '--base-url',
          server.baseUrl,
        ],
        { ...env, STEWARD_GITHUB_TOKEN: TOKEN },
      );
      expect(add.stderr).toBe('');
      expect(add.code).toBe(0);
      expect(add.stdout).toContain('nwl-github');

      const list = await runSteward(['--data', data, 'connector', 'list', '--json'], env);
      expect(list.code).toBe(0);
      const profiles = JSON.parse(list.stdout);
      expect(profiles).toEqual([
        expect.objectContaining({
          name: 'nwl-github',
          type: 'github',
          options: { org: server.org, baseUrl: server.baseUrl },
          secrets: [{ key: 'token', label: 'Token', masked: 'ghp_…77c1' }],
          lastPull: null,
        }),
      ]);

      const test = await runSteward(['--data', data, 'connector', 'test', 'nwl-github'], env);
      expect(test.code).toBe(0);
      expect(
        test.stdout
          .trim()
          .split('\n')
          .every((line) => line.startsWith('✓ ')),
      ).toBe(true);

      const pull = await runSteward(['--data', data, 'pull', 'nwl-github', '--json'], env);
      expect(pull.stderr).toBe('');
      expect(pull.code).toBe(0);
      const summary = JSON.parse(pull.stdout);
      // The same fields, in the same names, as `import --json`.
      expect(Object.keys(summary)).toEqual([
        'snapshotId',
        'source',
        'format',
        'fileFormat',
        'files',
        'rowsRead',
        'imported',
        'rejected',
        'skipped',
        'rejects',
        'notes',
        'full',
        'added',
        'changed',
        'unchanged',
        'notSeen',
        'alreadyImported',
        'importedAt',
        'importedBy',
      ]);
      expect(summary).toMatchObject({
        source: 'nwl-github',
        fileFormat: 'connector',
        alreadyImported: false,
      });
      expect(summary.imported).toBeGreaterThan(0);

      const identities = JSON.parse((await runSteward(['--data', data, 'identities', '--json'], env)).stdout);
      expect(identities).toHaveLength(summary.imported);
      expect(new Set(identities.map((i: { source: string }) => i.source))).toEqual(new Set(['nwl-github']));

      const listed = JSON.parse(
        (await runSteward(['--data', data, 'connector', 'list', '--json'], env)).stdout,
      );
      expect(listed[0].lastPull).toMatchObject({ outcome: 'ok', snapshotId: summary.snapshotId });

      const removed = await runSteward(['--data', data, 'connector', 'remove', 'nwl-github'], env);
      expect(removed.code).toBe(0);
      expect(removed.stdout).toMatch(
        /stored credentials.*1 snapshot, the identities they brought and its pull history stay/,
      );
      const after = JSON.parse((await runSteward(['--data', data, 'identities', '--json'], env)).stdout);
      expect(after).toHaveLength(summary.imported);

      for (const run of [add, list, test, pull, removed])
        expect(run.stdout + run.stderr).not.toContain(TOKEN);
    });

    it('exits 1 naming the failed check when the token is refused, each check on its line', async () => {
      const data = await newVault();
      await runSteward(
        [
          '--data',
          data,
          'connector',
          'add',
          'gh',
          '--type',
          'github',
          '--org',
          server.org,
          '--base-url',
          server.baseUrl,
        ],
        { ...env, GITHUB_TOKEN: 'ghp_wrongTOKENwrongTOKENwrongTOKEN0000' },
      );
      const test = await runSteward(['--data', data, 'connector', 'test', 'gh'], env);
      expect(test.code).toBe(1);
      expect(test.stdout).toMatch(/^✗ /m);
      expect(test.stderr).toMatch(/checks failed/);
      const pull = await runSteward(['--data', data, 'pull', 'gh'], env);
      expect(pull.code).toBe(1);
      expect(pull.stdout).toBe('');
      expect(test.stdout + test.stderr + pull.stderr).not.toContain('wrongTOKEN');
    });

    it('answers every bad input with exit 2 and what to do, and stores nothing', async () => {
      const data = await newVault();
      const folder = tempFolder();
      const notYaml = join(folder, 'config');
      writeFileSync(notYaml, 'clusters: [\n');
      const kubeconfig = join(folder, 'kubeconfig');
      writeFileSync(
        kubeconfig,
        [
          'apiVersion: v1',
          'clusters: [{name: prod, cluster: {server: "https://127.0.0.1:6443"}}]',
          'users: [{name: auditor, user: {token: abcdefgh}}]',
          'contexts: [{name: prod-eks, context: {cluster: prod, user: auditor}}]',
          'current-context: prod-eks',
        ].join('\n'),
      );
      const add = (...args: string[]) =>
        runSteward(['--data', data, 'connector', 'add', ...args], {
          ...env,
          STEWARD_GITHUB_TOKEN: undefined,
          GITHUB_TOKEN: undefined,
        });
      // One at a time: each run opens the vault, which only one process may hold.
      const cases: Array<[() => Promise<{ code: number | null; stderr: string }>, RegExp]> = [
        [
          () => add('x', '--type', 'gitlab'),
          /"gitlab" is not a connector type. Use --type aws\|entra\|github\|kubernetes/,
        ],
        [
          () => add('x', '--type', 'github'),
          /--org is required for --type github.*Usage: connector add NAME --type github --org ORG/,
        ],
        [() => add('x', '--type', 'aws', '--org', 'o'), /--org is an option of --type github, not aws/],
        [() => add('x', '--type', 'entra', '--tenant', 't'), /--client-id is required for --type entra/],
        [
          () => add('x', '--type', 'kubernetes', '--kubeconfig', join(folder, 'missing')),
          /kubeconfig file .*missing cannot be read \(ENOENT\)/,
        ],
        [
          () => add('x', '--type', 'kubernetes', '--kubeconfig', notYaml),
          /is not a kubeconfig: it cannot be read as YAML/,
        ],
        [
          () => add('x', '--type', 'kubernetes', '--kubeconfig', kubeconfig, '--context', 'staging'),
          /has no context "staging". Its contexts: prod-eks/,
        ],
        // No token in the environment and no terminal to ask on.
        [() => add('x', '--type', 'github', '--org', 'o'), /No token .*Set STEWARD_GITHUB_TOKEN/],
        [
          () => runSteward(['--data', data, 'connector', 'test', 'nope'], env),
          /There is no connector named "nope"/,
        ],
        [() => runSteward(['--data', data, 'pull', 'nope'], env), /There is no connector named "nope"/],
      ];
      for (const [running, message] of cases) {
        const run = await running();
        expect(run.stderr).toMatch(message);
        expect(run.code).toBe(2);
      }
      expect(
        JSON.parse((await runSteward(['--data', data, 'connector', 'list', '--json'], env)).stdout),
      ).toEqual([]);

      expect((await add('prod', '--type', 'kubernetes', '--kubeconfig', kubeconfig)).code).toBe(0);
      const taken = await add('PROD', '--type', 'kubernetes', '--kubeconfig', kubeconfig);
      expect(taken.code).toBe(2);
      expect(taken.stderr).toMatch(/A connector named "prod" already exists. Choose another name/);
      const listed = JSON.parse(
        (await runSteward(['--data', data, 'connector', 'list', '--json'], env)).stdout,
      );
      expect(listed).toHaveLength(1);
      expect(JSON.stringify(listed)).not.toContain('abcdefgh');
    });
  },
);
