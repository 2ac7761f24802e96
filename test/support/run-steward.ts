import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..');
export const STEWARD_BIN = join(REPO, 'electron', 'cli', 'steward.cjs');

/** The integration project's globalSetup builds the CLI; this says so plainly if it is missing. */
export function ensureCliBuilt(): void {
  if (!existsSync(join(REPO, 'dist', 'cli', 'steward.cjs'))) {
    throw new Error(
      'dist/cli/steward.cjs is missing: run these tests through vitest, whose globalSetup builds it.',
    );
  }
}

export interface StewardRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `steward` bin in a child process without a terminal (stdin closed). */
export function runSteward(
  args: string[],
  env: Record<string, string | undefined> = {},
): Promise<StewardRun> {
  return new Promise((resolve, reject) => {
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      STEWARD_PASSPHRASE: undefined,
      STEWARD_DATA: undefined,
      ...env,
    };
    for (const key of Object.keys(childEnv)) if (childEnv[key] === undefined) delete childEnv[key];
    const child = spawn(process.execPath, [STEWARD_BIN, ...args], {
      env: childEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
