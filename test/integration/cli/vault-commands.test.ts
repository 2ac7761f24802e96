import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { latestSchemaVersion } from '../../../electron/core/db/migrate';
import { ensureCliBuilt, runSteward, STEWARD_BIN } from '../../support/run-steward';
import { tempFolder } from '../../support/temp-folder';

const PASSPHRASE = 'correct horse battery staple';

beforeAll(() => ensureCliBuilt());

describe('steward init and status', () => {
  it('creates a vault from STEWARD_PASSPHRASE and reports it as JSON', async () => {
    const data = join(tempFolder(), 'vault');
    const init = await runSteward(['--data', data, 'init', '--json'], { STEWARD_PASSPHRASE: PASSPHRASE });
    expect(init.code).toBe(0);
    expect(JSON.parse(init.stdout)).toMatchObject({
      state: 'unlocked',
      folder: data,
      schemaVersion: latestSchemaVersion(),
    });

    const status = await runSteward(['--data', data, 'status', '--json'], { STEWARD_PASSPHRASE: PASSPHRASE });
    expect(status.code).toBe(0);
    expect(status.stderr).toBe('');
    expect(JSON.parse(status.stdout)).toMatchObject({
      state: 'unlocked',
      kdf: 'scrypt',
      schemaVersion: latestSchemaVersion(),
    });
  });

  it('accepts --json before the command too, and STEWARD_DATA for the folder', async () => {
    const data = tempFolder();
    await runSteward(['--data', data, 'init'], { STEWARD_PASSPHRASE: PASSPHRASE });
    const status = await runSteward(['--json', 'status'], {
      STEWARD_PASSPHRASE: PASSPHRASE,
      STEWARD_DATA: data,
    });
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ folder: data });
  });

  it('exits 2 with a clear message when the passphrase is wrong', async () => {
    const data = tempFolder();
    await runSteward(['--data', data, 'init'], { STEWARD_PASSPHRASE: PASSPHRASE });
    const status = await runSteward(['--data', data, 'status', '--json'], {
      STEWARD_PASSPHRASE: 'not the passphrase',
    });
    expect(status.code).toBe(2);
    expect(status.stdout).toBe('');
    expect(status.stderr).toMatch(/does not unlock this vault/);
  });

  it('exits 2 and says how to give the passphrase when none is given and there is no terminal', async () => {
    const data = tempFolder();
    await runSteward(['--data', data, 'init'], { STEWARD_PASSPHRASE: PASSPHRASE });
    const status = await runSteward(['--data', data, 'status']);
    expect(status.code).toBe(2);
    expect(status.stderr).toMatch(/STEWARD_PASSPHRASE/);
  });

  it('refuses to init over an existing vault with exit 2', async () => {
    const data = tempFolder();
    await runSteward(['--data', data, 'init'], { STEWARD_PASSPHRASE: PASSPHRASE });
    const again = await runSteward(['--data', data, 'init'], {
      STEWARD_PASSPHRASE: 'another long passphrase',
    });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a vault/);
    const status = await runSteward(['--data', data, 'status'], { STEWARD_PASSPHRASE: PASSPHRASE });
    expect(status.code).toBe(0);
  });

  it('reports an absent vault without asking for a passphrase', async () => {
    const data = join(tempFolder(), 'nothing-here');
    const status = await runSteward(['--data', data, 'status', '--json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ state: 'absent' });
    expect(existsSync(data)).toBe(false);
  });

  it('exits 2 on usage errors: no --data, an unknown command, a short passphrase', async () => {
    expect((await runSteward(['status'])).code).toBe(2);
    const unknown = await runSteward(['--data', tempFolder(), 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command/);
    const short = await runSteward(['--data', tempFolder(), 'init'], { STEWARD_PASSPHRASE: 'short' });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/at least 12 characters/);
  });

  it('prints help for the program and for every command, with exit 0', async () => {
    const help = await runSteward(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--data <dir>/);
    expect(help.stdout).toMatch(/Exit codes/);
    for (const command of ['init', 'status']) {
      const commandHelp = await runSteward([command, '--help']);
      expect(commandHelp.code).toBe(0);
      expect(commandHelp.stdout).toMatch(new RegExp(`Usage: steward ${command}`));
    }
  });

  it('asks for the passphrase twice on a terminal without echoing it', async () => {
    const data = tempFolder();
    const secret = 'typed at a hidden prompt';
    // `script` gives the CLI a real pseudo-terminal, as a person at a shell would.
    const child = spawn(
      'script',
      ['-qfec', `${process.execPath} ${STEWARD_BIN} --data ${data} init`, '/dev/null'],
      {
        env: { ...process.env, STEWARD_PASSPHRASE: '' },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let screen = '';
    let answered = 0;
    child.stdout.on('data', (chunk) => {
      screen += chunk;
      const shown = stripVTControlCharacters(screen);
      // Answer each prompt exactly once, however the terminal splits its output into chunks.
      if (answered === 0 && /Vault passphrase: $/.test(shown)) {
        answered = 1;
        child.stdin.write(`${secret}\r`);
      } else if (answered === 1 && /Repeat the passphrase: $/.test(shown)) {
        answered = 2;
        child.stdin.write(`${secret}\r`);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(screen).toMatch(/Created an encrypted vault/);
    expect(screen).not.toContain(secret);
    const status = await runSteward(['--data', data, 'status'], { STEWARD_PASSPHRASE: secret });
    expect(status.code).toBe(0);
  });
});
