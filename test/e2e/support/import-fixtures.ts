import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures');

/** A file of test/fixtures, by its path inside that folder. */
export function fixture(path: string): string {
  return join(fixtures, path);
}

export const AWS_REPORT = fixture('aws/iam_credential_report.csv');
export const KUBERNETES_PAIR = [
  fixture('kubernetes/serviceaccounts.json'),
  fixture('kubernetes/clusterrolebindings.json'),
];
export const ENTRA_EXPORT = [
  fixture('entra/servicePrincipals_page1.json'),
  fixture('entra/servicePrincipals_page2.json'),
  fixture('entra/servicePrincipalSignInActivities.json'),
];
export const EUROPEAN_REGISTER = fixture('messy/european_semicolon_cp1252.csv');
export const RAGGED_REGISTER = fixture('messy/duplicates_and_ragged.csv');
export const HR_ROSTER = fixture('hr/hr_roster.csv');

const AWS_HEADER = readFileSync(AWS_REPORT, 'utf8').split('\n')[0]!.trim();

/** The name of generated identity `index` (1-based): fixed width, so name order is index order. */
export function generatedName(index: number): string {
  return `svc-gen-${String(index).padStart(7, '0')}`;
}

/**
 * Writes an AWS credential report of `rows` service users in another account than the fixture's, so
 * it is a source of its own. Streamed: 300,000 rows are about 60 MB.
 */
export async function writeGeneratedAwsReport(
  path: string,
  rows: number,
  account = '210987654321',
): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${AWS_HEADER}\n`);
  let buffer = '';
  for (let index = 1; index <= rows; index += 1) {
    const name = generatedName(index);
    const rotated = `20${String(20 + (index % 6)).padStart(2, '0')}-0${1 + (index % 9)}-1${index % 10}T08:00:00+00:00`;
    buffer +=
      `${name},arn:aws:iam::${account}:user/service/${name},2019-03-04T10:00:00+00:00,false,N/A,N/A,N/A,false,` +
      `true,${rotated},2026-10-2${index % 10}T12:00:00+00:00,eu-west-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

/**
 * Writes the AWS fixture as it would look a quarter later: backup-bot's access key deactivated and
 * rotated, and athena-report-runner deleted. Imported after the original, it gives both a history.
 */
export function writeChangedAwsReport(path: string): void {
  const lines = readFileSync(AWS_REPORT, 'utf8').split('\n');
  const changed = lines
    .filter((line) => !line.startsWith('athena-report-runner,'))
    .map((line) =>
      line.startsWith('backup-bot,')
        ? line.replace(',true,2024-08-09T05:02:07+00:00,', ',false,2025-08-09T05:02:07+00:00,')
        : line,
    );
  writeFileSync(path, changed.join('\n'));
}
