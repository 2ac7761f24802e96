import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import type { Method, MethodOutput } from '../../shared/api/contract';
import { AppError, type ErrorCode } from '../../shared/api/errors';
import { createCore, type Core } from '../core/core';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, exitCodeFor } from './exit-codes';
import { obtainPassphrase, PASSPHRASE_ENV } from './passphrase';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  /** True when a person can be asked for a passphrase (stdin and stderr are terminals). */
  interactive: boolean;
  version: string;
}

interface GlobalOptions {
  data?: string;
  json?: boolean;
}

/** Thrown inside commands to end with a given exit code after printing the error. */
class CliFailure extends Error {
  constructor(
    readonly code: ErrorCode | 'USAGE',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs one `steward` invocation on the same core as the app and returns its exit code. Output for
 * machines goes to stdout (`--json`), words for people to stdout, errors to stderr.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode = EXIT_OK;
  let core: Core | null = null;

  const program = new Command()
    .name('steward')
    .description(
      'Steward: access reviews for machine and non-human identities, from an encrypted local vault.',
    )
    .version(io.version, '-V, --version')
    .option('--data <dir>', 'the vault folder (or set STEWARD_DATA)')
    .option('--json', 'print machine-readable JSON on stdout')
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `\nThe passphrase comes from ${PASSPHRASE_ENV} or a hidden prompt; never put it on the command line.\n` +
        'Exit codes: 0 success, 1 a failed check, 2 bad input or usage.',
    )
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();

  const globals = (command: Command): GlobalOptions => command.optsWithGlobals<GlobalOptions>();

  const openCore = (command: Command): Core => {
    const folder = globals(command).data ?? io.env.STEWARD_DATA;
    if (!folder) throw new CliFailure('USAGE', 'Say which vault to use: --data DIR (or set STEWARD_DATA).');
    core = createCore({ vaultFolder: resolve(folder), appVersion: io.version });
    return core;
  };

  const call = async <M extends Method>(
    target: Core,
    method: M,
    input: unknown,
  ): Promise<MethodOutput<M>> => {
    const result = await target.dispatch(method, input);
    if (!result.ok) throw new CliFailure(result.error.code, result.error.message);
    return result.value;
  };

  const unlock = async (target: Core): Promise<void> => {
    const status = await call(target, 'vault.status', {});
    if (status.state === 'absent') {
      throw new CliFailure(
        'VAULT_NOT_FOUND',
        `There is no vault in ${status.folder}. Create one with \`steward --data DIR init\`.`,
      );
    }
    const passphrase = await obtainPassphrase(io, { confirm: false }).catch(rethrowAsFailure);
    await call(target, 'vault.unlock', { passphrase });
  };

  const print = (command: Command, json: unknown, human: string): void => {
    io.stdout(globals(command).json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);
  };

  program
    .command('init')
    .description('create a new encrypted vault in the --data folder')
    .action(async (_options, command: Command) => {
      const target = openCore(command);
      const status = await call(target, 'vault.status', {});
      if (status.state !== 'absent') {
        throw new CliFailure('VAULT_EXISTS', `${status.folder} already holds a vault. Nothing was changed.`);
      }
      const passphrase = await obtainPassphrase(io, { confirm: true }).catch(rethrowAsFailure);
      const created = await call(target, 'vault.create', { passphrase });
      print(command, created, `Created an encrypted vault in ${created.folder}.`);
    });

  program
    .command('status')
    .description('show whether the vault exists and opens, its schema version and key settings')
    .action(async (_options, command: Command) => {
      const target = openCore(command);
      const before = await call(target, 'vault.status', {});
      if (before.state === 'absent') {
        print(command, before, `There is no vault in ${before.folder}.`);
        return;
      }
      await unlock(target);
      const status = await call(target, 'vault.status', {});
      print(
        command,
        status,
        [
          `Vault:    ${status.folder}`,
          `State:    opens with the given passphrase`,
          `Created:  ${status.createdAt ?? 'unknown'}`,
          `Schema:   version ${status.schemaVersion}`,
          `Key:      wrapped with ${status.kdf}`,
        ].join('\n'),
      );
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    exitCode = reportError(error, io);
  } finally {
    (core as Core | null)?.close();
  }
  return exitCode;
}

function rethrowAsFailure(error: unknown): never {
  if (error instanceof AppError) throw new CliFailure(error.code, error.message);
  throw error;
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
    if (error.code === 'commander.help') return EXIT_OK;
    return EXIT_USAGE; // commander has already printed its message
  }
  if (error instanceof CliFailure) {
    io.stderr(`steward: ${error.message}\n`);
    return error.code === 'USAGE' ? EXIT_USAGE : exitCodeFor(error.code);
  }
  if (error instanceof Error && error.message === 'canceled') {
    io.stderr('steward: cancelled.\n');
    return EXIT_USAGE;
  }
  io.stderr(`steward: ${error instanceof Error ? error.message : String(error)}\n`);
  return EXIT_FAILED;
}
