import type { Command } from 'commander';
import type { Method, MethodOutput } from '../../shared/api/contract';
import type { ErrorCode } from '../../shared/api/errors';
import type { Core } from '../core/core';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** True when a person can be asked for a passphrase (stdin and stderr are terminals). */
  interactive: boolean;
  version: string;
}

/** What every command module gets: the same core as the app, and the CLI's output conventions. */
export interface CliContext {
  io: CliIo;
  /** The core on the --data folder (or STEWARD_DATA); closed when the command ends. */
  openCore(command: Command): Core;
  /** Calls the core; an error result becomes the CLI's error output and exit code. */
  call<M extends Method>(core: Core, method: M, input: unknown): Promise<MethodOutput<M>>;
  /** Unlocks with STEWARD_PASSPHRASE or a hidden prompt. */
  unlock(core: Core): Promise<void>;
  /** JSON on stdout with --json, else the human text. */
  print(command: Command, json: unknown, human: string): void;
  /** An error that ends the command with the exit code for `code` ('USAGE' is 2). */
  failure(code: ErrorCode | 'USAGE', message: string): Error;
}
