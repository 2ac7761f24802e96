import { afterEach, describe, expect, it } from 'vitest';
import type { NormalizedPerson } from '../../../shared/domain/person';
import { listIdentities } from '../../../electron/core/inventory/identity-query';
import { writeSnapshot, type ImportItem } from '../../../electron/core/imports/snapshot-writer';
import { commonNameOfDn, OwnerResolver } from '../../../electron/core/people/owner-resolver';
import { replaceRoster, type RosterItem } from '../../../electron/core/people/roster-writer';
import type { Vault } from '../../../electron/core/vault/vault';
import { unlockedVault } from '../../support/unlocked-vault';

let vault: Vault | null = null;
afterEach(() => vault?.lock());

function person(email: string, overrides: Partial<NormalizedPerson> = {}): NormalizedPerson {
  return {
    email,
    name: null,
    employeeId: null,
    department: 'Platform',
    managerEmail: null,
    status: 'active',
    terminationDate: null,
    aliases: [],
    ...overrides,
  };
}

async function* rows(people: Array<NormalizedPerson | string>): AsyncIterable<RosterItem> {
  let row = 1;
  for (const entry of people) {
    row += 1;
    yield { file: 'hr.csv', row, outcome: typeof entry === 'string' ? { reject: entry } : { person: entry } };
  }
}

const rosterFile = (sha: string) => [{ name: 'hr.csv', bytes: 10, sha256: sha.repeat(64) }];

describe('the roster and owner resolution', () => {
  it('resolves owners by e-mail in any case, by UPN alias, and by a DN whose ASCII-mangled CN names one person', async () => {
    vault = await unlockedVault();
    await replaceRoster(
      vault.database,
      rosterFile('a'),
      'ana',
      rows([
        person('zoe.okafor@northwindlogistics.example', {
          name: 'Zoë Okafor',
          aliases: ['zokafor@nwl.onmicrosoft.com'],
        }),
        person('bjorn.lund@northwindlogistics.example', {
          name: 'Björn Lund',
          status: 'terminated',
          terminationDate: '2026-03-31',
        }),
      ]),
    );
    const resolver = new OwnerResolver(vault.database);
    expect(resolver.resolve('ZOE.OKAFOR@northwindlogistics.example', '2026-11-01')).toMatchObject({
      email: 'zoe.okafor@northwindlogistics.example',
      status: 'active',
    });
    expect(resolver.resolve('zokafor@NWL.onmicrosoft.com', '2026-11-01').status).toBe('active');
    expect(resolver.resolve('CN=Zo? Okafor,OU=Users,DC=nwl,DC=local', '2026-11-01').email).toBe(
      'zoe.okafor@northwindlogistics.example',
    );
    expect(resolver.resolve('CN=Bj?rn Lund,OU=Disabled Users,DC=nwl,DC=local', '2026-11-01').status).toBe(
      'terminated',
    );
    // Before the leaving date the same person still counts as active (a notice period).
    expect(resolver.resolve('bjorn.lund@northwindlogistics.example', '2026-03-01').status).toBe('active');
    expect(resolver.resolve('CN=IT-Ops-Admins,OU=Groups,DC=nwl,DC=local', '2026-11-01').status).toBe(
      'not-in-roster',
    );
    expect(resolver.resolve('it-ops@northwindlogistics.example', '2026-11-01')).toEqual({
      email: 'it-ops@northwindlogistics.example',
      status: 'not-in-roster',
      personId: null,
    });
  });

  it('reads LDAP escapes in a DN', () => {
    expect(commonNameOfDn('CN=Okafor\\, Zoe,OU=Users,DC=nwl')).toBe('Okafor, Zoe');
    expect(commonNameOfDn('zoe@example.com')).toBeNull();
  });

  it('treats a re-hire as active, and rejects a person listed twice as active', async () => {
    vault = await unlockedVault();
    const summary = await replaceRoster(
      vault.database,
      rosterFile('b'),
      'ana',
      rows([
        person('sam@x.example', { status: 'terminated', terminationDate: '2024-05-01' }),
        person('sam@x.example'),
        person('kim@x.example'),
        person('KIM@x.example', { department: 'Finance' }),
      ]),
    );
    expect(summary).toMatchObject({ imported: 2, rejected: 1, active: 2, terminated: 0 });
    expect(summary.rejects[0]!.reason).toMatch(/kim@x.example is listed twice as active \(rows 4 and 5\)/);
  });

  it('replaces the roster whole, and keeps the old one when the new export has nobody in it', async () => {
    vault = await unlockedVault();
    await replaceRoster(
      vault.database,
      rosterFile('c'),
      'ana',
      rows([person('a@x.example'), person('b@x.example')]),
    );
    await replaceRoster(vault.database, rosterFile('d'), 'ana', rows([person('a@x.example')]));
    expect(vault.database.prepare('SELECT email FROM people').pluck().all()).toEqual(['a@x.example']);
    await expect(
      replaceRoster(vault.database, rosterFile('e'), 'ana', rows(['missing e-mail', 'missing e-mail'])),
    ).rejects.toMatchObject({ code: 'INVALID_INPUT', message: /current roster was kept/ });
    expect(vault.database.prepare('SELECT email FROM people').pluck().all()).toEqual(['a@x.example']);
  });

  it('lists identities with owners resolved at the as-of date', async () => {
    vault = await unlockedVault();
    await replaceRoster(
      vault.database,
      rosterFile('f'),
      'ana',
      rows([person('lee@x.example', { status: 'terminated', terminationDate: '2026-06-30' })]),
    );
    async function* items(): AsyncIterable<ImportItem> {
      yield {
        file: 'f.csv',
        row: 2,
        outcome: {
          identity: {
            externalId: 'sa-1',
            kind: 'service-account',
            name: 'svc_backup',
            environment: 'production',
            status: 'active',
            description: null,
            createdAt: null,
            lastUsedAt: null,
            owners: [{ ref: 'LEE@x.example', role: 'business' }],
            credentials: [],
            entitlements: [{ name: 'Domain Admins', resource: null, privileged: true }],
            attributes: {},
          },
        },
      };
    }
    await writeSnapshot(
      vault.database,
      {
        sourceName: 'ad',
        sourceKind: 'active-directory',
        format: 'csv',
        preset: 'test',
        files: [{ name: 'f.csv', bytes: 1, sha256: '0'.repeat(64) }],
        parameters: {},
        importedBy: 'ana',
        full: true,
      },
      items(),
    );
    const before = listIdentities(vault.database, {
      asOf: '2026-06-01',
      offset: 0,
      limit: 10,
      sort: 'name',
      direction: 'asc',
    });
    const after = listIdentities(vault.database, {
      asOf: '2026-11-01',
      offset: 0,
      limit: 10,
      sort: 'name',
      direction: 'asc',
    });
    expect(before.items[0]!.owners).toEqual([{ email: 'lee@x.example', role: 'business', status: 'active' }]);
    expect(after.items[0]!.owners).toEqual([
      { email: 'lee@x.example', role: 'business', status: 'terminated' },
    ]);
    expect(after.items[0]!.entitlements).toEqual([
      { name: 'Domain Admins', resource: null, privileged: true },
    ]);
  });
});
