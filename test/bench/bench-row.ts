/** One line of the benchmark's table. Each section (imports, campaigns, evidence) returns its rows. */
export interface BenchRow {
  operation: string;
  steward: string;
  reference: string;
  ratio: string;
  target: string;
  pass: boolean;
  /** A row that explains another (a floor, a breakdown): printed as "info", never fails the run. */
  informational?: boolean;
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

/** The median of `runs` timings after one warm-up call (the first query fills the page cache). */
export async function medianMs(runs: number, call: (i: number) => Promise<void> | void): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i <= runs; i += 1) {
    const started = process.hrtime.bigint();
    await call(i);
    if (i > 0) times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}
