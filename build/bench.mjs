// `npm run bench`: bundles the benchmark (TypeScript, the real core) with esbuild and runs it.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, '.cache', 'bench');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  logLevel: 'warning',
};
await build({ ...common, entryPoints: [join(root, 'test/bench/bench.ts')], outfile: join(out, 'bench.cjs') });
await build({
  ...common,
  entryPoints: [join(root, 'test/bench/import-once.ts')],
  outfile: join(out, 'import-once.cjs'),
});
await build({
  ...common,
  entryPoints: [join(root, 'test/bench/xlsx-read-once.ts')],
  outfile: join(out, 'xlsx-read-once.cjs'),
});
// Beside import-once.cjs, where the XLSX reader looks for its thread's script, as it does in dist/.
await build({
  ...common,
  entryPoints: [join(root, 'electron/core/imports/readers/xlsx-rows-worker.ts')],
  outfile: join(out, 'xlsx-rows-worker.cjs'),
});
// The evidence section measures the real CLI's peak memory: build it as `npm test` does.
const cli = spawnSync(process.execPath, [join(root, 'build', 'build-main.mjs'), 'cli', 'worker'], {
  stdio: 'inherit',
  cwd: root,
});
if (cli.status !== 0) process.exit(cli.status ?? 1);
const run = spawnSync(process.execPath, [join(out, 'bench.cjs'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(run.status ?? 1);
