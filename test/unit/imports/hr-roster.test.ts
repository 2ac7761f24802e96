import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NormalizedPerson } from '../../../shared/domain/person';
import { cmdbGenericPreset } from '../../../electron/core/imports/presets/cmdb-generic';
import {
  createRosterRowMapper,
  detectHrRoster,
  type PersonRowOutcome,
} from '../../../electron/core/imports/presets/hr-roster';
import { openCsvTable } from '../../../electron/core/imports/readers/csv-reader';
import { tempFolder } from '../../support/temp-folder';

const ROSTER = join('test/fixtures', 'hr/hr_roster.csv');
const AS_OF = '2026-11-01';

async function mapRoster(
  path: string,
  asOf = AS_OF,
): Promise<Array<{ row: number; outcome: PersonRowOutcome }>> {
  const table = await openCsvTable(path);
  const map = createRosterRowMapper(table.header, table.file, { asOf });
  const mapped: Array<{ row: number; outcome: PersonRowOutcome }> = [];
  for await (const row of table.rows) mapped.push({ row: row.rowNumber, outcome: map(row) });
  return mapped;
}

const peopleOf = (mapped: Array<{ outcome: PersonRowOutcome }>): NormalizedPerson[] =>
  mapped.flatMap(({ outcome }) => ('person' in outcome ? [outcome.person] : []));

describe('hr-roster on the HRIS export', () => {
  it('is recognised as a roster and not as an identity inventory', async () => {
    const { header } = await openCsvTable(ROSTER);
    expect(detectHrRoster(header)).toBeGreaterThan(0.8);
    expect(cmdbGenericPreset.detect(header)).toBe(0);
    const aws = await openCsvTable(join('test/fixtures', 'aws/iam_credential_report.csv'));
    expect(detectHrRoster(aws.header)).toBe(0);
  });

  it('reads 150 people, 16 of them terminated with their termination dates', async () => {
    const mapped = await mapRoster(ROSTER);
    expect(mapped.filter(({ outcome }) => !('person' in outcome))).toEqual([]);
    const people = peopleOf(mapped);
    expect(people).toHaveLength(150);
    const terminated = people.filter((person) => person.status === 'terminated');
    expect(terminated).toHaveLength(16);
    expect(terminated.every((person) => /^\d{4}-\d{2}-\d{2}$/.test(person.terminationDate ?? ''))).toBe(true);
    expect(
      people
        .filter((person) => person.status === 'active')
        .every((person) => person.terminationDate === null),
    ).toBe(true);
  });

  it('keeps names, ids, departments and managers, and the top manager has none', async () => {
    const people = peopleOf(await mapRoster(ROSTER));
    expect(people.find((person) => person.email === 'jose.torres@northwindlogistics.example')).toEqual({
      email: 'jose.torres@northwindlogistics.example',
      name: 'José Torres',
      employeeId: 'NW10454',
      department: 'Fleet Telematics',
      managerEmail: 'keiko.jensen@northwindlogistics.example',
      status: 'active',
      terminationDate: null,
      aliases: [],
    });
    expect(people.filter((person) => person.managerEmail === null).map((person) => person.email)).toEqual([
      'keiko.jensen@northwindlogistics.example',
    ]);
    const raw = readFileSync(ROSTER, 'utf8');
    expect(people.every((person) => raw.includes(person.email))).toBe(true);
  });
});

describe('hr-roster on messy rosters', () => {
  function write(content: string): string {
    const path = join(tempFolder(), 'roster.csv');
    writeFileSync(path, content);
    return path;
  }

  it('finds columns by other names and reads messy status spellings', async () => {
    const path = write(
      [
        'Work Email,Full Name,Line Manager,Employment Status,End Date',
        'Ana.Silva@X.example,Ana Silva,boss@x.example,ACTIVE,',
        'bo@x.example,Bo,Boss Person,Terminated,2025-03-31',
        'cy@x.example,Cy,,inactive,',
        'di@x.example,Di,,leaver,2026-01-15',
        'ed@x.example,Ed,,left,',
        'fa@x.example,Fa,,On Leave,',
        'gu@x.example,Gu,,notice,2026-12-31',
        'ha@x.example,Ha,,terminated,2026-12-31',
        'io@x.example,Io,,active,2026-10-01',
        'jo@x.example,Jo,,,2026-06-30',
        'ka@x.example,Ka,,contractor,',
        ',Nobody,,active,',
        'not-an-email,Lu,,active,',
      ].join('\n'),
    );
    const mapped = await mapRoster(path);
    const statusOf = Object.fromEntries(
      peopleOf(mapped).map((person) => [person.email, [person.status, person.terminationDate]]),
    );
    expect(statusOf).toEqual({
      'ana.silva@x.example': ['active', null],
      'bo@x.example': ['terminated', '2025-03-31'],
      'cy@x.example': ['terminated', null],
      'di@x.example': ['terminated', '2026-01-15'],
      'ed@x.example': ['terminated', null],
      'fa@x.example': ['active', null],
      'gu@x.example': ['active', '2026-12-31'],
      'ha@x.example': ['active', '2026-12-31'],
      'io@x.example': ['terminated', '2026-10-01'],
      'jo@x.example': ['terminated', '2026-06-30'],
    });
    const people = peopleOf(mapped);
    expect(people.find((person) => person.email === 'ana.silva@x.example')!.managerEmail).toBe(
      'boss@x.example',
    );
    expect(people.find((person) => person.email === 'bo@x.example')!.managerEmail).toBeNull();
    const rejects = mapped.flatMap(({ row, outcome }) =>
      'reject' in outcome ? [[row, outcome.reject]] : [],
    );
    expect(rejects).toEqual([
      [
        12,
        expect.stringContaining("'Employment Status' is 'contractor', which is not a status Steward knows"),
      ],
      [13, "'Work Email' is empty: the roster finds people by e-mail."],
      [14, "'Work Email' is 'not-an-email', not an e-mail address."],
    ]);
  });

  it('decides a future termination by the as-of day', async () => {
    const path = write('email,name,status,termination_date\nha@x.example,Ha,terminated,2026-12-31\n');
    expect(peopleOf(await mapRoster(path, '2026-11-01'))[0]!.status).toBe('active');
    expect(peopleOf(await mapRoster(path, '2027-01-01'))[0]!.status).toBe('terminated');
  });

  it('rejects an ambiguous termination date instead of guessing it', async () => {
    const path = write('email,name,status,end date\nha@x.example,Ha,terminated,06/08/2026\n');
    expect((await mapRoster(path))[0]!.outcome).toEqual({
      reject: expect.stringContaining("'end date': '06/08/2026' could be 6 August or 8 June"),
    });
  });

  it('builds names from first and last name columns and keeps UPN and DN as aliases', async () => {
    const path = write(
      'mail,Given Name,Surname,UPN,Distinguished Name\nAna@X.example,Ana,Silva,ASilva@corp.x.example,"CN=Ana Silva,OU=Staff,DC=corp,DC=x"\n',
    );
    expect(peopleOf(await mapRoster(path))[0]).toMatchObject({
      email: 'ana@x.example',
      name: 'Ana Silva',
      aliases: ['asilva@corp.x.example', 'cn=ana silva,ou=staff,dc=corp,dc=x'],
    });
  });
});
