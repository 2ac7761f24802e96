import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Result } from '../../../../shared/api/result';
import { createCore } from '../../../../electron/core/core';
import { createRosterRowMapper } from '../../../../electron/core/imports/presets/hr-roster';
import { openTable } from '../../../../electron/core/imports/readers/open-table';
import type { RiskSubject } from '../../../../electron/core/risk/risk-signals';
import { tempFolder } from '../../../support/temp-folder';
import { TEST_PASSPHRASE } from '../../../support/unlocked-vault';

/**
 * The vendor fixtures as the risk rules will see them: imported through the real core into a real
 * encrypted vault (`imports.run`, `people.import`), read back with `identities.list` (owners resolved
 * against the roster at the as-of date) and `identities.get` (attributes). Two facts the contract does
 * not return yet are added the way the integration is proposed to: each owner's termination date from
 * the HR roster, and each identity's source kind from `snapshots.list`.
 */
const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'fixtures');
export const fixture = (...parts: string[]) => join(FIXTURES, ...parts);
export const jsonFilesIn = (...parts: string[]) =>
  readdirSync(fixture(...parts))
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => fixture(...parts, name));

export interface ImportStep {
  paths: string[];
  source?: string;
  format?: string;
  parameters?: Record<string, string | number | boolean>;
}

/** Every vendor export of the fixtures, one import each, as a compliance analyst would run them. */
export const VENDOR_IMPORTS: readonly ImportStep[] = [
  { paths: [fixture('aws', 'iam_credential_report.csv')] },
  { paths: jsonFilesIn('entra') },
  // The cluster's name states its environment; parameters apply with the format named explicitly.
  {
    paths: jsonFilesIn('kubernetes'),
    format: 'kubernetes-service-accounts',
    parameters: { clusterName: 'nwl-prod-eks' },
    source: 'nwl-prod-eks',
  },
  { paths: [fixture('github', 'org_installations.json'), ...jsonFilesIn('github', 'deploy_keys')] },
  { paths: [fixture('active-directory', 'gmsa_export.csv')], source: 'corp-ad' },
  { paths: [fixture('active-directory', 'svc_users_export.csv')], source: 'corp-ad' },
  { paths: [fixture('gcp', 'service_accounts.json'), ...jsonFilesIn('gcp', 'keys')] },
  { paths: jsonFilesIn('okta') },
  { paths: [fixture('cmdb', 'nhi_inventory.xlsx')] },
];

function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** email (lower-case) -> termination date, read from the roster with the real HR roster mapper. */
async function terminationDates(path: string): Promise<Map<string, string>> {
  const table = await openTable(path);
  const map = createRosterRowMapper(table.header, table.file, { asOf: '2026-11-01' });
  const dates = new Map<string, string>();
  for await (const row of table.rows) {
    const outcome = map(row);
    if ('person' in outcome && outcome.person.terminationDate)
      dates.set(outcome.person.email, outcome.person.terminationDate);
  }
  return dates;
}

export interface Population {
  asOf: string;
  identities: RiskSubject[];
  /** The one identity of that name (in that source, when given); fails the test when not exactly one. */
  named(name: string, source?: string): RiskSubject;
}

export async function loadPopulation(
  asOf: string,
  imports: readonly ImportStep[] = VENDOR_IMPORTS,
): Promise<Population> {
  const core = createCore({ vaultFolder: tempFolder() });
  try {
    value(await core.dispatch('vault.create', { passphrase: TEST_PASSPHRASE }));
    value(await core.dispatch('people.import', { path: fixture('hr', 'hr_roster.csv') }));
    for (const step of imports) value(await core.dispatch('imports.run', step));
    const kinds = new Map(
      value(await core.dispatch('snapshots.list', { limit: 1000 })).map((s) => [s.source, s.sourceKind]),
    );
    const left = await terminationDates(fixture('hr', 'hr_roster.csv'));
    const identities: RiskSubject[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = value(await core.dispatch('identities.list', { asOf, offset, limit: 1000 }));
      for (const record of page.items) {
        const detail = value(await core.dispatch('identities.get', { id: record.id, asOf }));
        identities.push({
          ...record,
          owners: record.owners.map((owner) => ({
            ...owner,
            terminationDate: owner.status === 'terminated' ? (left.get(owner.email) ?? null) : null,
          })),
          attributes: detail.attributes,
          sourceKind: kinds.get(record.source),
        });
      }
      if (offset + 1000 >= page.total) break;
    }
    return {
      asOf,
      identities,
      named(name, source) {
        const found = identities.filter(
          (i) => i.name === name && (source === undefined || i.source === source),
        );
        expect(found, `${name}${source ? ` in ${source}` : ''}`).toHaveLength(1);
        return found[0]!;
      },
    };
  } finally {
    core.close();
  }
}
