// Bundles the Node-side entry points (Electron main, preload, CLI) with esbuild. The renderer is
// built by Vite. Dependencies stay external: electron-builder ships node_modules, and the native
// database module must be loaded from disk anyway.
import { build } from 'esbuild';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  define: { __STEWARD_VERSION__: JSON.stringify(version) },
};

const entries = [
  { name: 'cli', in: 'electron/cli/main.ts', out: 'dist/cli/steward.cjs' },
  { name: 'shell', in: 'electron/shell/main.ts', out: 'dist/shell/main.cjs' },
  // Long vault writes (imports, the risk-signal index) off the thread that answers the window
  // (Electron loads workers from asar).
  { name: 'worker', in: 'electron/core/vault/vault-worker.ts', out: 'dist/core/vault-worker.cjs' },
  // Reads a worksheet while the import writes (sheet-rows-thread.ts finds it beside the bundles).
  {
    name: 'worker',
    in: 'electron/core/imports/readers/xlsx-rows-worker.ts',
    out: 'dist/core/xlsx-rows-worker.cjs',
  },
  // A sandboxed preload may only require 'electron' and a few built-ins: everything else is bundled.
  { name: 'preload', in: 'electron/preload/preload.ts', out: 'dist/preload/preload.cjs', packages: 'bundle' },
];

// `node build/build-main.mjs cli` builds only the named entries (tests of the CLI need nothing else).
const only = process.argv.slice(2);
for (const entry of entries.filter((e) => only.length === 0 || only.includes(e.name))) {
  if (!existsSync(join(root, entry.in))) {
    console.error(`build-main: ${entry.in} is missing`);
    process.exit(1);
  }
  await build({
    ...common,
    ...(entry.packages ? { packages: entry.packages } : {}),
    external: ['electron'],
    entryPoints: [join(root, entry.in)],
    outfile: join(root, entry.out),
  });
}

// The evidence pack's fonts (DejaVu, with their licence) live beside the bundles in dist/fonts, where
// electron/core/evidence/pdf-layout.ts looks for them; electron-builder ships dist/ in the asar.
cpSync(join(root, 'electron', 'core', 'evidence', 'fonts'), join(root, 'dist', 'fonts'), { recursive: true });
