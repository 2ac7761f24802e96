import { resolve } from 'node:path';
import { Command, CommanderError } from 'commander';
import type { Method, MethodOutput } from '../../shared/api/contract';
import { AppError, type ErrorCode } from '../../shared/api/errors';
import { createCore, type Core } from '../core/core';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, exitCodeFor } from './exit-codes';
import type { CliContext } from './cli-context';
import { registerCampaignCommands } from './commands/campaign-commands';
import { registerConnectorCommands } from './commands/connector-commands';
import { registerEvidenceCommands } from './commands/evidence-commands';
import { registerImportCommands } from './commands/import-commands';
import { registerVaultCommands } from './commands/vault-commands';
import { obtainPassphrase, PASSPHRASE_ENV } from './passphrase';

export type { CliIo } from './cli-context';
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
export async function runCli(argv: readonly string[], io: CliContext['io']): Promise<number> {
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
    const passphrase = await obtainPassphrase(io, { confirm: false });
    await call(target, 'vault.unlock', { passphrase });
  };

  const print = (command: Command, json: unknown, human: string): void => {
    io.stdout(globals(command).json ? `${JSON.stringify(json, null, 2)}\n` : `${human}\n`);
  };

  const context: CliContext = {
    io,
    openCore,
    call,
    unlock,
    print,
    failure: (code, message) => new CliFailure(code, message),
  };
  registerVaultCommands(program, context);
  registerImportCommands(program, context);
  registerCampaignCommands(program, context);
  registerEvidenceCommands(program, context);
  registerConnectorCommands(program, context);

  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    exitCode = reportError(error, io);
  } finally {
    (core as Core | null)?.close();
  }
  return exitCode;
}

function reportError(error: unknown, io: CliContext['io']): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
    if (error.code === 'commander.help') return EXIT_OK;
    return EXIT_USAGE; // commander has already printed its message
  }
  if (error instanceof AppError) {
    io.stderr(`steward: ${error.message}\n`);
    return exitCodeFor(error.code);
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
