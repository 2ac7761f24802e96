// `npm start`: build, find the Electron binary, make sure the Electron build of the database module
// exists, then run the desktop app from this folder and exit with its exit code.
//
// Environment:
//   STEWARD_START_SKIP_BUILD=1   skip `npm run build` (the bundles in dist/ are used as they are).
//   ELECTRON_OVERRIDE_DIST_PATH  folder of an Electron binary you already have (Electron's own variable).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronVersion, ensureElectronNativeModule, NativeModuleBuildError } from './electron-native.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Node version Electron 45's own tooling (its installer, @electron/get) declares it needs. */
const ELECTRON_TOOLING_NODE = [22, 12];

function fail(lines) {
  process.stderr.write(`\n${lines.join('\n')}\n\n`);
  process.exit(1);
}

function nodeIsOlderThan([major, minor]) {
  const [currentMajor, currentMinor] = process.versions.node.split('.').map(Number);
  return currentMajor < major || (currentMajor === major && currentMinor < minor);
}

/** The line of the installer's output that names the cause (e.g. "TypeError: fetch failed"). */
function downloadFailureCause(output) {
  const lines = output.split(/\r?\n/).map((line) => line.trim());
  const cause = lines.find(
    (line) =>
      /^(\w*Error|HTTPError|RequestError)\b/.test(line) ||
      /\b(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|fetch failed|Response code \d+)\b/.test(line),
  );
  return cause ?? lines.filter(Boolean).at(-1) ?? 'no output';
}

function runBuild() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) {
    fail([
      'Steward: `npm run build` failed (see its output above), so the desktop app was not started.',
      'Fix the reported error and run `npm start` again.',
    ]);
  }
}

/**
 * Asks the electron package for its binary, in a child process: on first use it downloads the binary
 * and prints a stack trace when that fails, which the user should not have to read.
 */
function findElectronBinary(version) {
  const lookup = spawnSync(
    process.execPath,
    ['-e', 'process.stdout.write(require(process.env.STEWARD_ELECTRON_PACKAGE))'],
    {
      cwd: root,
      env: { ...process.env, STEWARD_ELECTRON_PACKAGE: join(root, 'node_modules', 'electron') },
      encoding: 'utf8',
    },
  );
  const binary = lookup.status === 0 ? lookup.stdout.trim() : '';
  if (binary && existsSync(binary)) return binary;

  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const cause =
    lookup.status === 0
      ? `the electron package points at ${binary || 'nothing'}, which does not exist` +
        (override ? ` (ELECTRON_OVERRIDE_DIST_PATH is set to ${override})` : '')
      : downloadFailureCause(`${lookup.stderr}\n${lookup.stdout}`);
  const lines =
    lookup.status === 0
      ? [
          `Steward: the Electron binary v${version} was not found, so the desktop app cannot start.`,
          `  Cause: ${cause}`,
        ]
      : [
          `Steward: the Electron binary v${version} could not be downloaded, so the desktop app cannot start.`,
          `  Cause: ${cause}`,
          '  This machine has no internet access, or the download from github.com is blocked.',
        ];
  if (nodeIsOlderThan(ELECTRON_TOOLING_NODE)) {
    lines.push(
      `  Also: Electron ${version}'s tooling needs Node ${ELECTRON_TOOLING_NODE.join('.')} or newer; ` +
        `this is Node ${process.versions.node}.`,
    );
  }
  lines.push(
    '',
    'The desktop app needs this binary. `npm test` and the `steward` command do not: they run on plain Node.',
    '',
    'To retry: on a machine with internet access (and Node 22.12 or newer), run `npm start` again;',
    '  to download the binary alone: `node node_modules/electron/install.js`;',
    '  behind a mirror: set ELECTRON_MIRROR; with a binary you already have: set ELECTRON_OVERRIDE_DIST_PATH to its folder.',
  );
  fail(lines);
}

async function main() {
  if (process.env.STEWARD_START_SKIP_BUILD !== '1') runBuild();

  const version = electronVersion(root);
  const binary = findElectronBinary(version);

  try {
    await ensureElectronNativeModule({ root, version });
  } catch (error) {
    if (error instanceof NativeModuleBuildError) {
      fail([
        `Steward: ${error.message}`,
        '',
        '`npm test` and the `steward` command do not need this; the desktop app does.',
      ]);
    }
    throw error;
  }

  const env = { ...process.env };
  // Set in some shells and CI images; it would make the binary a plain Node and ignore the app.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [root], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (error) => fail([`Steward: could not run ${binary}: ${error.message}`]));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

await main();
