import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import {
  createMappedRowMapper,
  headerSignature,
  kindFromText,
  mappingFromProposal,
  parseFlag,
  proposeColumnMapping,
} from '../../../electron/core/imports/column-mapping';
import type { RowOutcome, Table, TableRow } from '../../../electron/core/imports/preset-types';
import { cmdbGenericPreset } from '../../../electron/core/imports/presets/cmdb-generic';
import { openCsvTable } from '../../../electron/core/imports/readers/csv-reader';
import { peekTableRows } from '../../../electron/core/imports/readers/peek-rows';
import { openXlsxTable } from '../../../electron/core/imports/readers/xlsx-reader';

const fixture = (path: string) => join('test/fixtures', path);

interface Mapped {
  row: TableRow;
  outcome: RowOutcome;
}

async function mapTable(table: Table, sample = false): Promise<Mapped[]> {
  let source = table;
  let sampleRows: TableRow[] = [];
  if (sample) ({ sample: sampleRows, table: source } = await peekTableRows(table, 50));
  const map = cmdbGenericPreset.createRowMapper(source.header, source.file, sampleRows);
  const mapped: Mapped[] = [];
  for await (const row of source.rows) mapped.push({ row, outcome: map(row) });
  return mapped;
}

const identitiesOf = (mapped: Mapped[]): NormalizedIdentity[] =>
  mapped.flatMap(({ outcome }) => ('identity' in outcome ? [outcome.identity] : []));

describe('proposeColumnMapping', () => {
  it('maps the CMDB header by name, with a confidence per field', async () => {
    const { header } = await openXlsxTable(fixture('cmdb/nhi_inventory.xlsx'));
    const proposal = proposeColumnMapping(header);
    const byField = Object.fromEntries(
      Object.entries(proposal.fields).map(([field, match]) => [field, [match.header, match.confidence]]),
    );
    expect(byField).toEqual({
      externalId: ['Record ID', 1],
      name: ['Account Name', 1],
      kind: ['Type', 1],
      environment: ['Environment', 1],
      businessOwner: ['Business Owner', 1],
      technicalOwner: ['Technical Owner', 1],
      lastUsedAt: ['Last Login', 1],
      credentialLastRotatedAt: ['Password Last Set', 1],
      privileged: ['Privileged (Y/N)', 0.95],
      description: ['Purpose', 1],
    });
    expect(proposal.unmapped.map((column) => column.header)).toEqual(['System', 'Notes']);
  });

  it('gives one layout one signature, whatever the file format, case or spacing', async () => {
    const xlsx = await openXlsxTable(fixture('cmdb/nhi_inventory.xlsx'));
    const csv = await openCsvTable(fixture('messy/utf8_bom_cmdb_export.csv'));
    expect(headerSignature(csv.header)).toBe(headerSignature(xlsx.header));
    expect(headerSignature(xlsx.header.map((name) => ` ${name.toUpperCase()} `))).toBe(
      headerSignature(xlsx.header),
    );
    expect(headerSignature([...xlsx.header].reverse())).not.toBe(headerSignature(xlsx.header));
    expect(proposeColumnMapping(csv.header).headerSignature).toBe(headerSignature(csv.header));
  });

  it('knows German and Dutch column names', () => {
    const german = proposeColumnMapping([
      'Kontoname',
      'Typ',
      'Umgebung',
      'Verantwortlich',
      'Letzte Anmeldung',
      'Passwort zuletzt geändert',
      'Privilegiert (J/N)',
      'Beschreibung',
    ]);
    expect(Object.keys(german.fields).sort()).toEqual(
      [
        'name',
        'kind',
        'environment',
        'businessOwner',
        'lastUsedAt',
        'credentialLastRotatedAt',
        'privileged',
        'description',
      ].sort(),
    );
    const dutch = proposeColumnMapping([
      'Accountnaam',
      'Soort',
      'Omgeving',
      'Eigenaar',
      'Technisch eigenaar',
      'Laatste login',
      'Omschrijving',
    ]);
    expect(dutch.fields.technicalOwner?.header).toBe('Technisch eigenaar');
    expect(dutch.fields.businessOwner?.header).toBe('Eigenaar');
    expect(dutch.fields.lastUsedAt?.header).toBe('Laatste login');
  });

  it('learns the day/month order of date columns from sample rows', async () => {
    const { sample, table } = await peekTableRows(
      await openCsvTable(fixture('messy/duplicates_and_ragged.csv')),
      50,
    );
    expect(proposeColumnMapping(table.header, sample).dateOrders).toEqual({ lastUsedAt: 'dmy' });
    expect(proposeColumnMapping(table.header).dateOrders).toEqual({});
  });
});

describe('cmdb-generic preset on the CMDB workbook', () => {
  it('maps the 122 data rows of "NHI Register" and skips the totals row', async () => {
    const table = await openXlsxTable(fixture('cmdb/nhi_inventory.xlsx'));
    expect(cmdbGenericPreset.detect(table.header)).toBeGreaterThan(0.5);
    const mapped = await mapTable(table);
    expect(identitiesOf(mapped)).toHaveLength(122);
    expect(mapped.filter(({ outcome }) => 'reject' in outcome)).toEqual([]);
    const skipped = mapped.filter(({ outcome }) => 'skip' in outcome);
    expect(skipped.map(({ row }) => row.cells[0])).toEqual(['Total records']);
  });

  it('reads Excel date cells and text dates, and tells never from unknown', async () => {
    const mapped = await mapTable(await openXlsxTable(fixture('cmdb/nhi_inventory.xlsx')));
    const lastLogin = (text: string) =>
      mapped.flatMap(({ row, outcome }) =>
        row.cells[7] === text && 'identity' in outcome ? [outcome.identity] : [],
      );
    const dateCell = mapped.find(({ row }) => row.cells[0] === 'SA1013')!;
    expect((dateCell.outcome as { identity: NormalizedIdentity }).identity).toMatchObject({
      lastUsedAt: '2026-08-06T20:52:40.000Z',
      credentials: [{ type: 'password', lastRotatedAt: '2026-03-31T17:32:52.000Z' }],
    });
    const sap = identitiesOf(mapped).find((identity) => identity.name === 'SAP_RFC_WMS')!;
    expect(sap.lastUsedAt).toBe('2026-05-31T00:00:00.000Z');
    expect(sap.entitlements).toEqual([
      { name: 'Privileged access (declared)', resource: null, privileged: true },
    ]);
    expect(lastLogin('never').length).toBeGreaterThan(0);
    for (const identity of lastLogin('never'))
      expect(identity).toMatchObject({ lastUsedAt: null, attributes: { usageReported: true } });
    for (const text of ['N/A', 'unknown', '']) {
      expect(lastLogin(text).length).toBeGreaterThan(0);
      for (const identity of lastLogin(text))
        expect(identity).toMatchObject({ lastUsedAt: null, attributes: { usageReported: false } });
    }
    expect(identitiesOf(mapped).some((identity) => identity.attributes.dateProblems)).toBe(false);
  });

  it('maps types, owners, environment and description, keeping unknown types and other columns', async () => {
    const all = identitiesOf(await mapTable(await openXlsxTable(fixture('cmdb/nhi_inventory.xlsx'))));
    const first = all.find((identity) => identity.externalId === 'SA1007')!;
    expect(first).toMatchObject({
      kind: 'service-account',
      name: 'tms/tms-carrier-sync',
      environment: 'production',
      status: 'unknown',
      description: 'Workload identity for tms-carrier-sync',
      owners: [
        { ref: 'Ingrid Varga', role: 'business' },
        { ref: 'ingrid.varga@northwindlogistics.example', role: 'technical' },
      ],
      attributes: { System: 'Kubernetes nwl-prod-eks', sourceType: 'Service Account', privileged: false },
    });
    const mailbox = all.find((identity) => identity.attributes.sourceType === 'Shared Mailbox')!;
    expect(mailbox).toMatchObject({ kind: 'service-account', attributes: { kindAssumed: true } });
    const kinds = new Set(all.map((identity) => identity.kind));
    expect([...kinds].sort()).toEqual([
      'api-key',
      'bot',
      'managed-identity',
      'service-account',
      'service-principal',
    ]);
    expect(all.some((identity) => identity.description?.includes('\n'))).toBe(true);
  });
});

describe('cmdb-generic preset on the messy CSV exports', () => {
  it('maps the UTF-8 and UTF-16 exports to the same 40 identities', async () => {
    const utf8 = identitiesOf(
      await mapTable(await openCsvTable(fixture('messy/utf8_bom_cmdb_export.csv')), true),
    );
    const utf16 = identitiesOf(
      await mapTable(await openCsvTable(fixture('messy/excel_unicode_text_export.txt')), true),
    );
    expect(utf8).toHaveLength(40);
    expect(utf16).toEqual(utf8);
    const ocr = utf8.find((identity) => identity.externalId === 'SA1013')!;
    expect(ocr.lastUsedAt).toBe('2026-08-06T00:00:00.000Z');
    expect(utf8.some((identity) => identity.owners.some((owner) => owner.ref === 'José Núñez'))).toBe(true);
  });

  it('reports slash dates read before the column showed its order, and none when a sample taught it', async () => {
    const path = fixture('messy/duplicates_and_ragged.csv');
    const streamed = identitiesOf(await mapTable(await openCsvTable(path)));
    const purview = streamed.find((identity) => identity.externalId === 'SA1523')!;
    expect(purview.lastUsedAt).toBeNull();
    expect(purview.attributes.dateProblems).toContain("'05/10/2026' could be 5 October or 10 May");
    const sampled = identitiesOf(await mapTable(await openCsvTable(path), true));
    expect(sampled.find((identity) => identity.externalId === 'SA1523')!.lastUsedAt).toBe(
      '2026-10-05T00:00:00.000Z',
    );
    expect(sampled.some((identity) => identity.attributes.dateProblems)).toBe(false);
  });

  it('reads the cp1252 semicolon file: names as ids, dd.mm.yyyy, nie, J/N and locale numbers kept', async () => {
    const table = await openCsvTable(fixture('messy/european_semicolon_cp1252.csv'));
    expect(cmdbGenericPreset.detect(table.header)).toBeGreaterThan(0.5);
    const all = identitiesOf(await mapTable(table));
    expect(all).toHaveLength(45);
    const loader = all.find((identity) => identity.name === 'nwl-data-lake-loader')!;
    expect(loader).toMatchObject({
      externalId: 'nwl-data-lake-loader',
      lastUsedAt: null,
      owners: [{ ref: 'Jürgen Müller', role: 'business' }],
      attributes: {
        externalIdFrom: 'name',
        usageReported: true,
        'Risk Score': '2,2',
        'Monthly Cost (€)': '668,51',
      },
    });
    const dw = all.find((identity) => identity.name === 'CORP\\gmsa-sql-dw01$')!;
    expect(dw.lastUsedAt).toBe('2026-08-02T00:00:00.000Z');
    expect(dw.credentials[0]!.lastRotatedAt).toBe('2026-10-25T00:00:00.000Z');
    const privileged = all.filter((identity) => identity.attributes.privileged === true);
    expect(privileged.length).toBeGreaterThan(0);
    expect(
      privileged.every((identity) => identity.entitlements.some((entitlement) => entitlement.privileged)),
    ).toBe(true);
    expect(all.some((identity) => identity.attributes['Monthly Cost (€)'] === '2.439,91')).toBe(true);
  });

  it('rejects the ragged rows with what is wrong, and keeps duplicates for the snapshot to judge', async () => {
    const mapped = await mapTable(await openCsvTable(fixture('messy/duplicates_and_ragged.csv')));
    const rejects = mapped.flatMap(({ row, outcome }) =>
      'reject' in outcome ? [[row.rowNumber, outcome.reject]] : [],
    );
    expect(rejects).toHaveLength(2);
    expect(rejects[0]![1]).toContain(
      "the row has 3 values but the header has 6 columns (nothing under 'System', 'Business Owner', 'Last Login')",
    );
    expect(rejects[1]![1]).toContain(
      "the row has 8 values but the header has 6 columns (extra values: 'EXTRA', 'COLUMNS')",
    );
    const all = identitiesOf(mapped);
    expect(all).toHaveLength(21);
    expect(
      all.filter((identity) => identity.externalId === 'SA1550').map((identity) => identity.name),
    ).toEqual(['Fleet Telematics Ingest', 'Fleet Telematics Ingest-v2']);
  });

  it('keeps formula-injection payloads verbatim in names, owners and descriptions', async () => {
    const all = identitiesOf(await mapTable(await openCsvTable(fixture('messy/csv_injection_payloads.csv'))));
    expect(all).toHaveLength(11);
    expect(all.map((identity) => identity.name)).toContain(`+cmd|' /C calc'!A0`);
    expect(all.flatMap((identity) => identity.owners.map((owner) => owner.ref))).toEqual(
      expect.arrayContaining([
        '-2+3',
        `@SUM(1+1)*cmd|' /C calc'!A0`,
        "'=already-escaped",
        '+44 20 7946 0000',
      ]),
    );
    expect(all.map((identity) => identity.description)).toEqual(
      expect.arrayContaining(['\r=2+5 (leading CR)', '\t=1+1 (leading TAB before =)']),
    );
  });

  it('does not take the HR roster for an inventory', async () => {
    const table = await openCsvTable(fixture('hr/hr_roster.csv'));
    expect(cmdbGenericPreset.detect(table.header)).toBe(0);
  });
});

describe('createMappedRowMapper rules', () => {
  const header = ['Record ID', 'Account Name', 'Type', 'Last Login'];
  const mapping = mappingFromProposal(proposeColumnMapping(header));

  it('rejects a row without an id or a name, naming the column', () => {
    const map = createMappedRowMapper(mapping, header, 'register.csv');
    expect(map({ rowNumber: 2, cells: ['', 'svc_a', 'Service Account', ''] })).toEqual({
      reject: "'Record ID' is empty: every identity needs its id from the source.",
    });
    expect(map({ rowNumber: 3, cells: ['SA1', ' ', 'Service Account', ''] })).toEqual({
      reject: "'Account Name' is empty: every identity needs a name.",
    });
    expect(map({ rowNumber: 4, cells: ['SA2', 'svc_b', 'Service Account', '31/02/2026'] })).toMatchObject({
      identity: { lastUsedAt: null, attributes: { dateProblems: expect.stringContaining('does not exist') } },
    });
  });

  it('refuses a saved mapping made for other columns', () => {
    expect(() => createMappedRowMapper(mapping, [...header, 'Owner'], 'next-quarter.csv')).toThrow(AppError);
    expect(() => createMappedRowMapper(mapping, [...header, 'Owner'], 'next-quarter.csv')).toThrow(
      /other columns/,
    );
  });

  it('reads kinds and flags from free text', () => {
    const kinds = Object.fromEntries(
      [
        'Service Account',
        'API Key',
        'API Token',
        'SSH Key',
        'Kubernetes SA',
        'App Registration',
        'Application / SPN',
        'Managed Identity',
        'Bot / Automation',
        'Deploy Key',
        'GitHub App',
        'OAuth App',
        'IAM User',
        'IAM Role',
        'Break-glass',
      ].map((text) => [text, kindFromText(text).kind]),
    );
    expect(kinds).toEqual({
      'Service Account': 'service-account',
      'API Key': 'api-key',
      'API Token': 'api-key',
      'SSH Key': 'ssh-key',
      'Kubernetes SA': 'kubernetes-service-account',
      'App Registration': 'app-registration',
      'Application / SPN': 'service-principal',
      'Managed Identity': 'managed-identity',
      'Bot / Automation': 'bot',
      'Deploy Key': 'deploy-key',
      'GitHub App': 'github-app',
      'OAuth App': 'oauth-app',
      'IAM User': 'iam-user',
      'IAM Role': 'iam-role',
      'Break-glass': 'service-account',
    });
    expect(kindFromText('Break-glass').recognised).toBe(false);
    expect(['Y', 'J', 'yes', 'Ja', 'true', '1'].map(parseFlag)).toEqual([true, true, true, true, true, true]);
    expect(['N', 'no', 'nee', 'false', '0'].map(parseFlag)).toEqual([false, false, false, false, false]);
    expect(['', 'maybe'].map(parseFlag)).toEqual([null, null]);
  });
});
