import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { MethodOutput } from '../../../shared/api/contract';
import { isAppError } from '../../../shared/api/errors';
import { readInputFile } from '../../core/evidence/evidence-handlers';
import { normalizeFingerprint } from '../../core/evidence/signer-store';
import type { CliContext } from '../cli-context';
import { obtainSecret } from '../passphrase';

/** The PKCS#12 password of `signer import`; never an argument (argv is visible in the process list). */
export const P12_PASSWORD_ENV = 'STEWARD_P12_PASSWORD';

type Signer = NonNullable<MethodOutput<'signer.get'>>;
type Verification = MethodOutput<'evidence.verify'>;

const collect = (value: string, previous: string[]) => [...previous, value];

function describeSigner(signer: Signer): string {
  return [
    `Signer: ${signer.name}${signer.email ? ` <${signer.email}>` : ''} (${signer.origin})`,
    `  valid ${signer.notBefore} to ${signer.notAfter}`,
    `  SHA-256 fingerprint: ${signer.fingerprint}`,
    '  Publish this fingerprint to your auditors: `steward verify PACK.pdf --trust FINGERPRINT` checks it.',
  ].join('\n');
}

function describeVerification(result: Verification): string {
  const mark = { passed: '✓', failed: '✗', 'not-checked': '-' } as const;
  const lines = result.checks.map((check) => `${mark[check.status]} ${check.name}: ${check.message}`);
  return [...lines, '', result.verdict].join('\n');
}

export function registerEvidenceCommands(
  program: Command,
  { io, openCore, call, unlock, print, failure }: CliContext,
): void {
  const signer = program
    .command('signer')
    .description('the certificate that signs evidence packs: create, import or show it');

  signer
    .command('create')
    .description(
      'generate a self-signed signing certificate and key inside the vault; prints its fingerprint',
    )
    .requiredOption('--name <name>', 'the signatory, as printed in the signature (certificate CN)')
    .requiredOption('--email <email>', "the signatory's email (certificate emailAddress)")
    .action(async (options: { name: string; email: string }, command: Command) => {
      const target = openCore(command);
      await unlock(target);
      const created = await call(target, 'signer.create', { name: options.name, email: options.email });
      print(command, created, describeSigner(created));
    });

  signer
    .command('import <file>')
    .description(
      `import a PKCS#12 (.p12/.pfx) certificate and RSA key; password from ${P12_PASSWORD_ENV} or a prompt`,
    )
    .action(async (file: string, _options: unknown, command: Command) => {
      const target = openCore(command);
      await unlock(target);
      const password = await obtainSecret(io, {
        envName: P12_PASSWORD_ENV,
        prompt: 'PKCS#12 password: ',
        what: 'PKCS#12 password',
      });
      const imported = await call(target, 'signer.import', { path: resolve(file), password });
      print(command, imported, describeSigner(imported));
    });

  signer
    .command('show')
    .description('show the active signing certificate and its fingerprint')
    .action(async (_options: unknown, command: Command) => {
      const target = openCore(command);
      await unlock(target);
      const active = await call(target, 'signer.get', {});
      if (!active) {
        print(
          command,
          null,
          'No signing certificate yet. Create one with `steward signer create --name NAME --email EMAIL` ' +
            'or import one with `steward signer import FILE.p12`.',
        );
        return;
      }
      print(command, active, describeSigner(active));
    });

  program
    .command('evidence')
    .description('evidence packs of campaigns')
    .command('export')
    .description('write the signed evidence PDF of a campaign, and with --xlsx its workpapers')
    .argument('<campaign-id>', 'the campaign')
    .requiredOption('--out <file.pdf>', 'where the signed PDF goes')
    .option('--xlsx <file.xlsx>', 'also write the workpapers there')
    .action(async (id: string, options: { out: string; xlsx?: string }, command: Command) => {
      if (!/^\d+$/.test(id) || Number(id) < 1)
        throw failure('USAGE', `The campaign id must be a positive whole number; "${id}" is not.`);
      const target = openCore(command);
      await unlock(target);
      const written = await call(target, 'evidence.export', {
        campaignId: Number(id),
        pdfPath: resolve(options.out),
        ...(options.xlsx ? { xlsxPath: resolve(options.xlsx) } : {}),
      });
      print(
        command,
        written,
        [
          `Evidence pack: ${written.pdfPath} (${written.pages} pages, ${written.bytes} bytes)`,
          `  SHA-256 ${written.sha256}`,
          `  ${written.decisions} decisions; decision log head ${written.logHead.seq}:${written.logHead.hash}`,
          `  signed by certificate ${written.signerFingerprint}`,
          ...(written.xlsxPath ? [`Workpapers: ${written.xlsxPath} (${written.xlsxBytes ?? 0} bytes)`] : []),
        ].join('\n'),
      );
    });

  program
    .command('verify <file>')
    .description(
      'verify a signed evidence PDF (no vault needed): signature, signer, embedded decision log and counts; ' +
        'exit 0 when everything holds, 1 naming the first failed check',
    )
    .option(
      '--trust <fingerprint>',
      'a SHA-256 certificate fingerprint you trust (repeatable; hex, colons optional)',
      collect,
      [],
    )
    .action(async (file: string, options: { trust: string[] }, command: Command) => {
      const malformed = options.trust.find((given) => normalizeFingerprint(given) === null);
      if (malformed !== undefined) {
        throw failure(
          'USAGE',
          `--trust "${malformed}" is not a SHA-256 fingerprint: give the 64 hex digits (colons optional), as \`steward signer show\` prints them.`,
        );
      }
      // Straight to the core function: verifying needs no vault, so no --data and no passphrase.
      let result: Verification;
      try {
        const bytes = await readInputFile(resolve(file), 'a signed evidence PDF');
        // pdf-lib loads for `verify` only, not for every command.
        const { verifyEvidencePdf } = await import('../../core/evidence/verify-evidence');
        result = await verifyEvidencePdf(bytes, { trust: options.trust });
      } catch (error) {
        if (isAppError(error)) throw failure(error.code, error.message);
        throw error;
      }
      print(command, result, describeVerification(result));
      if (!result.ok) {
        const failed = result.checks.find((check) => check.id === result.failedCheck);
        throw failure(
          'VERIFICATION_FAILED',
          `${failed?.id ?? 'verification'} check failed: ${failed?.message ?? ''}`,
        );
      }
    });
}
