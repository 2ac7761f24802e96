// Builds the Electron flavour of better-sqlite3-multiple-ciphers into .cache/electron-native/<version>/,
// shared by `npm start` (development) and `npm run dist` (shipped as an extra resource).
//
// Why not `electron-rebuild` in node_modules: that replaces the Node build the CLI and `npm test` load,
// so the next test run fails with NODE_MODULE_VERSION errors. Instead the package is copied (without
// its build/ folder) into a scratch folder under .cache/ and built there for Electron's ABI.
import { spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  copyFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export const NATIVE_BINDING_FILE = 'better_sqlite3.node';
const DB_PACKAGE = 'better-sqlite3-multiple-ciphers';
const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

/** A failure the user can act on; `message` says what happened, why, and what to do. */
export class NativeModuleBuildError extends Error {
  constructor(message) {
    super(message);
    this.name = 'NativeModuleBuildError';
  }
}

/** The Electron version the app runs on: the one installed in node_modules. */
export function electronVersion(root) {
  return JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
}

/** Where the Electron build of the database addon lives; electron/shell/native-binding.ts reads the same path. */
export function electronNativeBindingPath(root, version) {
  return join(root, '.cache', 'electron-native', version, NATIVE_BINDING_FILE);
}

/**
 * The environment for the native build. npm passes its configuration down as npm_config_* variables
 * (this machine sets nodedir=/usr, which would make node-gyp compile against Node's headers instead of
 * Electron's); only the network settings are kept.
 */
export function nativeBuildEnvironment(env = process.env) {
  const keep = new Set([
    'npm_config_proxy',
    'npm_config_https_proxy',
    'npm_config_noproxy',
    'npm_config_cafile',
  ]);
  return Object.fromEntries(
    Object.entries(env).filter(
      ([key]) => !key.toLowerCase().startsWith('npm_config_') || keep.has(key.toLowerCase()),
    ),
  );
}

/** Runs a command, collecting its output instead of flooding the terminal; resolves to { code, output }. */
function run(command, args, options) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (chunk) => chunks.push(chunk));
    child.stderr.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (error) => resolve({ code: -1, output: `${Buffer.concat(chunks)}${error.message}\n` }));
    child.on('close', (code) =>
      resolve({ code: code ?? -1, output: Buffer.concat(chunks).toString('utf8') }),
    );
  });
}

/** The few lines of a tool's output that say why it failed, without its stack trace. */
export function failureSummary(output) {
  const lines = output.split(/\r?\n/).map((line) => line.trim());
  const telling = lines.filter(
    (line) =>
      /prebuild-install (warn|err)/i.test(line) ||
      /^gyp (http|WARN)/.test(line) ||
      /^gyp ERR! (configure|build) error/.test(line) ||
      /^gyp ERR! stack Error:/.test(line) ||
      /\b(ENOTFOUND|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|fetch failed|certificate)\b/i.test(line) ||
      /\berror\b.*:/i.test(line),
  );
  const unique = [...new Set(telling.filter((line) => !/^gyp ERR! stack\s+at /.test(line)))];
  return (unique.length > 0 ? unique : lines.filter(Boolean).slice(-3)).slice(0, 6);
}

/**
 * Makes sure the Electron build of the database addon exists, building it when missing, and returns
 * its path. Never touches node_modules. Throws NativeModuleBuildError with a summary of why not.
 */
export async function ensureElectronNativeModule({
  root,
  version,
  arch = process.arch,
  log = (line) => console.error(line),
}) {
  const target = electronNativeBindingPath(root, version);
  if (existsSync(target)) return target;

  const cacheFolder = join(root, '.cache');
  mkdirSync(cacheFolder, { recursive: true });
  const scratch = mkdtempSync(join(cacheFolder, 'electron-native-build-'));
  const logFile = join(cacheFolder, `electron-native-${version}-${arch}.log`);
  const source = join(root, 'node_modules', DB_PACKAGE);
  const env = nativeBuildEnvironment();
  const transcript = [];
  try {
    cpSync(source, scratch, {
      recursive: true,
      // The build/ folder holds the Node build; it must neither be reused nor overwritten.
      filter: (path) => {
        const inside = relative(source, path);
        return inside !== 'build' && !inside.startsWith(`build${sep}`);
      },
    });

    log(`Fetching the prebuilt ${DB_PACKAGE} for Electron ${version} (${process.platform}-${arch})…`);
    const prebuilt = await run(
      process.execPath,
      [
        join(root, 'node_modules', 'prebuild-install', 'bin.js'),
        '--runtime',
        'electron',
        '--target',
        version,
        '--arch',
        arch,
        '--verbose',
      ],
      { cwd: scratch, env },
    );
    transcript.push('$ prebuild-install', prebuilt.output);

    const built = join(scratch, 'build', 'Release', NATIVE_BINDING_FILE);
    if (prebuilt.code !== 0 || !existsSync(built)) {
      log(
        `No prebuilt binary; compiling ${DB_PACKAGE} against the Electron ${version} headers (a few minutes)…`,
      );
      const compiled = await run(
        process.execPath,
        [
          join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
          'rebuild',
          '--release',
          '--runtime=electron',
          `--target=${version}`,
          `--arch=${arch}`,
          `--dist-url=${ELECTRON_HEADERS_URL}`,
        ],
        { cwd: scratch, env },
      );
      transcript.push('$ node-gyp rebuild', compiled.output);
      if (compiled.code !== 0 || !existsSync(built)) {
        writeFileSync(logFile, transcript.join('\n'));
        throw new NativeModuleBuildError(
          [
            `Could not build ${DB_PACKAGE} for Electron ${version}.`,
            `The prebuilt binary could not be downloaded from GitHub, and compiling needs the Electron headers from ${ELECTRON_HEADERS_URL}:`,
            ...failureSummary(`${prebuilt.output}\n${compiled.output}`).map((line) => `    ${line}`),
            'This needs internet access (or a proxy: set HTTPS_PROXY), plus Python 3 and a C++ compiler for the fallback.',
            `Full output: ${logFile}`,
          ].join('\n'),
        );
      }
    }

    // Copied under a temporary name and renamed, so an interrupted run never leaves half a binary behind.
    mkdirSync(dirname(target), { recursive: true });
    const partial = `${target}.partial`;
    copyFileSync(built, partial);
    renameSync(partial, target);
    log(`Electron build of the database module ready: ${relative(root, target)}`);
    return target;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
