import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCliBuilt, runSteward, type StewardRun } from '../../support/run-steward';
import { tempFolder } from '../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../support/unlocked-vault';
import { CLIENT_ID, startEntraServer, TENANT_ID, type EntraServer } from './support/entra-server';

/**
 * The Entra connector from the real `steward` bin, with only the options the CLI offers. The loopback
 * server's certificate is trusted the way an administrator would trust a private CA for any Node
 * program, NODE_EXTRA_CA_CERTS (it adds a CA; verification stays on): so the SDK's and the
 * connector's default trust store are what is tested here.
 */
const FIXTURES = join(import.meta.dirname, '../../fixtures/entra');
const SECRET = 'Zt4~Qw8nB2vLx6Pc0Rm.Yk3Hs7Jd9Fg1Ea5';

let server: EntraServer;
let caFile: string;

beforeAll(async () => {
  ensureCliBuilt();
  server = await startEntraServer(FIXTURES, SECRET);
});
afterAll(async () => {
  await server?.close();
});

describe('steward connector add --type entra and pull, through the real bin', { timeout: 300_000 }, () => {
  it('adds, tests and pulls with the secret from the environment; the identities carry the profile name', async () => {
    const folder = tempFolder();
    caFile = join(folder, 'loopback-ca.pem');
    writeFileSync(caFile, server.caPem);
    const data = join(folder, 'data');
    const env = { STEWARD_PASSPHRASE: TEST_PASSPHRASE, NODE_EXTRA_CA_CERTS: caFile };
    const runs: StewardRun[] = [];
    const run = async (args: string[], extra: Record<string, string> = {}): Promise<StewardRun> => {
      const result = await runSteward(['--data', data, ...args], { ...env, ...extra });
      runs.push(result);
      return result;
    };

    expect((await run(['init'])).code).toBe(0);
    const add = await run(
      [
        'connector',
        'add',
        'nwl-entra',
        '--type',
        'entra',
        '--tenant',
        TENANT_ID,
        '--client-id',
        CLIENT_ID,
        '--authority-host',
        server.baseUrl,
        '--graph-url',
        server.baseUrl,
      ],
      { STEWARD_ENTRA_CLIENT_SECRET: SECRET },
    );
    expect(add.stderr).toBe('');
    expect(add.code).toBe(0);

    const test = await run(['connector', 'test', 'nwl-entra']);
    expect(test.code).toBe(0);
    expect(
      test.stdout
        .trim()
        .split('\n')
        .every((line) => line.startsWith('✓ ')),
    ).toBe(true);

    const pull = await run(['pull', 'nwl-entra', '--json']);
    expect(pull.stderr).toBe('');
    expect(pull.code).toBe(0);
    const summary = JSON.parse(pull.stdout) as { imported: number; source: string };
    expect(summary).toMatchObject({ imported: 54, source: 'nwl-entra' });
    const identities = JSON.parse((await run(['identities', '--json'])).stdout) as Array<{ source: string }>;
    expect(identities).toHaveLength(54);
    expect(new Set(identities.map((i) => i.source))).toEqual(new Set(['nwl-entra']));

    // A rotated-away secret: the pull fails with the plain reason and exit 1, the secret unsaid.
    const wrong = 'Old~secret.value.that.was.rotated.0000';
    expect(
      (await run(['connector', 'rotate', 'nwl-entra'], { STEWARD_ENTRA_CLIENT_SECRET: wrong })).code,
    ).toBe(0);
    const refused = await run(['pull', 'nwl-entra']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The client secret is wrong or expired (AADSTS7000215)');

    for (const result of runs) {
      expect(result.stdout + result.stderr).not.toContain(SECRET);
      expect(result.stdout + result.stderr).not.toContain(wrong);
    }
  });
});
