import { read } from 'read';
import { AppError } from '../../shared/api/errors';

export const PASSPHRASE_ENV = 'STEWARD_PASSPHRASE';

export interface PassphraseSource {
  env: NodeJS.ProcessEnv;
  interactive: boolean;
}

/**
 * The passphrase comes from STEWARD_PASSPHRASE or a hidden prompt on a terminal, never from argv
 * (argv is visible to every user of the machine in the process list).
 */
export async function obtainPassphrase(
  source: PassphraseSource,
  options: { confirm: boolean },
): Promise<string> {
  const fromEnv = source.env[PASSPHRASE_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (!source.interactive) {
    throw new AppError(
      'WRONG_PASSPHRASE',
      `No passphrase given. Set ${PASSPHRASE_ENV} or run the command on a terminal to be asked for it.`,
    );
  }
  const first = await read({
    prompt: 'Vault passphrase: ',
    silent: true,
    replace: '',
    output: process.stderr,
  });
  if (options.confirm) {
    const second = await read({
      prompt: 'Repeat the passphrase: ',
      silent: true,
      replace: '',
      output: process.stderr,
    });
    if (first !== second)
      throw new AppError('INVALID_INPUT', 'The two passphrases differ. Nothing was created.');
  }
  return first;
}

/**
 * Another secret (a PKCS#12 password): from the environment variable `envName` (set, even empty) or a
 * hidden prompt on a terminal, never from argv.
 */
export async function obtainSecret(
  source: PassphraseSource,
  options: { envName: string; prompt: string; what: string },
): Promise<string> {
  const fromEnv = source.env[options.envName];
  if (fromEnv !== undefined) return fromEnv;
  if (!source.interactive) {
    throw new AppError(
      'INVALID_INPUT',
      `No ${options.what} given. Set ${options.envName} or run the command on a terminal to be asked for it.`,
    );
  }
  return read({ prompt: options.prompt, silent: true, replace: '', output: process.stderr });
}
