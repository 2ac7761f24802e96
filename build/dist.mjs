// `npm run dist [-- <electron-builder args>]`: build, make sure the Electron build of the database
// module exists, then package with electron-builder for this platform (or the targets given, e.g.
// `npm run dist -- --linux deb`). Installers land in release/.
//
// Environment:
//   STEWARD_DIST_SKIP_BUILD=1   skip `npm run build` (the bundles in dist/ are used as they are).
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronVersion, ensureElectronNativeModule, NativeModuleBuildError } from './electron-native.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const config = join(root, 'build', 'electron-builder.config.cjs');
const ARCH_FLAGS = ['--x64', '--ia32', '--armv7l', '--arm64', '--universal'];

function fail(lines) {
  process.stderr.write(`\n${lines.join('\n')}\n\n`);
  process.exit(1);
}

/** The native module is built for this machine's architecture only; packaging another would ship the wrong one. */
function refuseForeignArchitecture(args) {
  const foreign = args.filter((arg) => ARCH_FLAGS.includes(arg) && arg !== `--${process.arch}`);
  if (foreign.length > 0) {
    fail([
      `Steward: cannot package for ${foreign.join(', ')} on this ${process.arch} machine.`,
      'The database module is built for the architecture it is built on. Run `npm run dist` on a machine of that architecture.',
    ]);
  }
}

function runBuild() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.status !== 0) fail(['Steward: `npm run build` failed (see above); nothing was packaged.']);
}

/** Why electron-builder failed, in words, from its output; null when the output names nothing known. */
export function explainBuilderFailure(output, version) {
  if (
    /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|fetch failed|getaddrinfo|dial tcp|no such host/i.test(
      output,
    )
  ) {
    return (
      `electron-builder downloads the Electron v${version} distribution and its packaging tools (AppImage, fpm, ` +
      'NSIS) from GitHub, and this machine cannot reach it (no internet access, or blocked). ' +
      'Run `npm run dist` where GitHub is reachable, or point ELECTRON_MIRROR and ELECTRON_BUILDER_BINARIES_MIRROR at a mirror.'
    );
  }
  if (/@electron\/fuses|flipFuses|fuse wire/i.test(output)) {
    return 'Flipping the Electron fuses failed: check that @electron/fuses (installed with electron-builder) matches this Electron version.';
  }
  if (/Cannot find module|ERR_REQUIRE_ESM|Unsupported engine|requires Node/i.test(output)) {
    return `electron-builder could not run on Node ${process.versions.node}; Electron ${version}'s tooling expects Node 22.12 or newer.`;
  }
  return null;
}

/** A line of electron-builder's progress as shown to the user: stack frames and `stackTrace=` tails stay in the log. */
export function withoutStackTrace(line) {
  if (/^\s+at /.test(line)) return null;
  const tail = line.indexOf(' stackTrace=');
  return tail === -1 ? line : line.slice(0, tail).trimEnd();
}

/** Runs electron-builder, showing its progress but keeping its stack traces in a log file. */
function runElectronBuilder(args, version) {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [
        join(root, 'node_modules', 'electron-builder', 'cli.js'),
        '--config',
        config,
        '--publish',
        'never',
        ...args,
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const output = [];
    let pending = '';
    child.stdout.on('data', (chunk) => {
      output.push(chunk);
      const lines = (pending + chunk.toString('utf8')).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const shown = withoutStackTrace(line);
        if (shown !== null) process.stdout.write(`${shown}\n`);
      }
    });
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => resolve({ code: -1, output: `${Buffer.concat(output)}${error.message}` }));
    child.on('close', (code) =>
      resolve({ code: code ?? -1, output: Buffer.concat(output).toString('utf8') }),
    );
  }).then(({ code, output }) => {
    if (code === 0) return;
    const logFile = join(root, '.cache', 'dist-electron-builder.log');
    mkdirSync(dirname(logFile), { recursive: true });
    writeFileSync(logFile, output);
    const headline =
      output
        .split(/\r?\n/)
        .map((line) => line.trim())
        .find((line) => line.startsWith('⨯')) ?? 'electron-builder exited with an error.';
    fail([
      'Steward: packaging failed.',
      `  ${headline.split(/\s{2,}/)[0]}`,
      `  ${explainBuilderFailure(output, version) ?? 'See the full output for the cause.'}`,
      `  Full output: ${relative(root, logFile)}`,
    ]);
  });
}

async function main() {
  const args = process.argv.slice(2);
  refuseForeignArchitecture(args);
  if (process.env.STEWARD_DIST_SKIP_BUILD !== '1') runBuild();

  const version = electronVersion(root);
  try {
    await ensureElectronNativeModule({ root, version });
  } catch (error) {
    if (error instanceof NativeModuleBuildError) fail([`Steward: packaging stopped. ${error.message}`]);
    throw error;
  }
  await runElectronBuilder(args, version);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
