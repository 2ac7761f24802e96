import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * vitest globalSetup of the integration project: bundles the CLI and the vault worker once per run,
 * so the tests run the real `steward` command and worker built from the source under test, never a
 * stale bundle.
 */
export default function buildCli(): void {
  const root = join(__dirname, '..', '..');
  const result = spawnSync(process.execPath, [join(root, 'build', 'build-main.mjs'), 'cli', 'worker'], {
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('Could not build the CLI for the integration tests.');
}
