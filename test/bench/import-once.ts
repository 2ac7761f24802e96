// Runs one import in a fresh process and prints {ms, maxRssMb}: peak memory must be the import's own.
import { createCore } from '../../electron/core/core';

async function main(): Promise<void> {
  const [vaultFolder, ...paths] = process.argv.slice(2);
  const core = createCore({ vaultFolder: vaultFolder! });
  const created = await core.dispatch('vault.create', { passphrase: 'benchmark passphrase only' });
  if (!created.ok) throw new Error(created.error.message);
  const started = process.hrtime.bigint();
  const cpuBefore = process.cpuUsage();
  const result = await core.dispatch('imports.run', { paths });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // CPU time (all threads) next to wall time: on a shared machine it tells a slow run from a busy one.
  const cpu = process.cpuUsage(cpuBefore);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  if (!result.ok) throw new Error(result.error.message);
  core.close();
  process.stdout.write(
    JSON.stringify({
      ms,
      cpuMs,
      maxRssMb: process.resourceUsage().maxRSS / 1024,
      imported: result.value.imported,
    }),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
