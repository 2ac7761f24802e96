import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFolder } from '../support/temp-folder';

// Runs the real `npm start` script. STEWARD_START_SKIP_BUILD=1 (documented in build/start.mjs) skips
// the build, which is not what is under test. The Electron download is pointed at a closed loopback
// port, so the test behaves the same with or without internet access.
const root = join(import.meta.dirname, '..', '..');
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;
const electronBinaryInstalled = existsSync(join(root, 'node_modules', 'electron', 'path.txt'));

/** A loopback port nobody listens on: connections to it are refused at once. */
async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function runStart(env: Record<string, string>) {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !key.startsWith('ELECTRON_') && !key.startsWith('electron_'),
    ),
  );
  return spawnSync(process.execPath, [join(root, 'build', 'start.mjs')], {
    cwd: root,
    env: { ...inherited, STEWARD_START_SKIP_BUILD: '1', ...env },
    encoding: 'utf8',
  });
}

describe('npm start without an Electron binary', () => {
  // Where the binary is already installed the download is never attempted; the test below still runs.
  it.skipIf(electronBinaryInstalled)(
    'explains that the binary could not be downloaded, and exits 1',
    async () => {
      const result = runStart({
        // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- a closed loopback port; nothing is fetched.
        ELECTRON_MIRROR: `http://127.0.0.1:${await closedLoopbackPort()}/`,
        electron_config_cache: tempFolder('steward-electron-cache-'),
      });
      expect(result.status).toBe(1);
      expect(result.stderr).toContain(`the Electron binary v${electronVersion} could not be downloaded`);
      expect(result.stderr).toMatch(/Cause: .*(fetch failed|ECONNREFUSED)/);
      expect(result.stderr).toContain('no internet access');
      expect(result.stderr).toContain('`npm test` and the `steward` command do not');
      expect(result.stderr).toContain('To retry');
      // The installer's stack trace is summarised, not dumped.
      expect(result.stderr).not.toMatch(/^\s+at /m);
      expect(result.stdout).not.toContain('Downloading Electron binary');
    },
  );

  it('explains a missing binary at ELECTRON_OVERRIDE_DIST_PATH, and exits 1', () => {
    const emptyFolder = tempFolder('steward-no-electron-');
    const result = runStart({ ELECTRON_OVERRIDE_DIST_PATH: emptyFolder });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`the Electron binary v${electronVersion} was not found`);
    expect(result.stderr).toContain(emptyFolder);
    expect(result.stderr).toContain('`npm test` and the `steward` command do not');
  });

  it('names the Node version as a cause when it is older than Electron 45 tooling needs', () => {
    const result = runStart({ ELECTRON_OVERRIDE_DIST_PATH: tempFolder('steward-no-electron-') });
    const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
    const older = major < 22 || (major === 22 && minor < 12);
    expect(result.stderr.includes(`this is Node ${process.versions.node}`)).toBe(older);
  });
});
