import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import { githubOrgPreset as preset } from '../../../electron/core/imports/presets/github-org';
import type { DocumentFile } from '../../../electron/core/imports/preset-types';
import { readJsonDocument } from '../../../electron/core/imports/readers/json-reader';

const folder = join(import.meta.dirname, '../../fixtures/github');

interface RawInstallation {
  id: number;
  app_slug: string;
  created_at: string;
  suspended_by: { login: string } | null;
  permissions: Record<string, string>;
}
interface RawKey {
  id: number;
  url: string;
  title: string;
  read_only: boolean;
  last_used: string | null;
  enabled: boolean;
  created_at: string;
  added_by: string;
}

let installations: DocumentFile;
let keyFiles: DocumentFile[];
let identities: NormalizedIdentity[];
const byId = (externalId: string) => {
  const found = identities.find((i) => i.externalId === externalId);
  expect(found, externalId).toBeDefined();
  return found!;
};
const app = (slug: string) => identities.find((i) => i.kind === 'github-app' && i.name === slug)!;
const rawInstallations = () => (installations.json as { installations: RawInstallation[] }).installations;
const rawKeys = () => keyFiles.flatMap((f) => f.json as RawKey[]);

beforeAll(async () => {
  installations = await readJsonDocument(join(folder, 'org_installations.json'));
  const keyNames = readdirSync(join(folder, 'deploy_keys')).sort();
  keyFiles = await Promise.all(
    keyNames.map((name) =>
      readJsonDocument(join(folder, 'deploy_keys', name), { name: `deploy_keys/${name}` }),
    ),
  );
  const result = preset.map([installations, ...keyFiles]);
  expect(result).toMatchObject({ rejects: [], notes: [], partial: false });
  identities = result.identities;
});

describe('github-org detection', () => {
  it('recognises installations, deploy keys, or both', () => {
    expect(preset.detect([installations, ...keyFiles])).toBeGreaterThanOrEqual(0.9);
    expect(preset.detect([installations])).toBeGreaterThanOrEqual(0.9);
    expect(preset.detect(keyFiles)).toBeGreaterThanOrEqual(0.9);
  });

  it('is not confident about an empty array alone, or a set with a foreign file', async () => {
    const gcp = await readJsonDocument(join(import.meta.dirname, '../../fixtures/gcp/service_accounts.json'));
    expect(preset.detect([{ name: 'empty-repo.json', json: [] }])).toBeLessThan(0.5);
    expect(preset.detect([gcp])).toBe(0);
    expect(preset.detect([installations, gcp])).toBeLessThan(0.5);
  });
});

describe('github-org installations', () => {
  it('imports the 30 installations as GitHub apps keyed by installation id', () => {
    const apps = identities.filter((i) => i.kind === 'github-app');
    expect(rawInstallations()).toHaveLength(30);
    expect(apps.map((i) => i.externalId)).toEqual(rawInstallations().map((r) => `installation:${r.id}`));
    expect(apps.map((i) => i.name)).toEqual(rawInstallations().map((r) => r.app_slug));
  });

  it('marks the 2 suspended installations disabled and says who suspended them', () => {
    const suspended = identities.filter((i) => i.kind === 'github-app' && i.status === 'disabled');
    expect(suspended.map((i) => [i.name, i.attributes.suspendedBy])).toEqual(
      rawInstallations()
        .filter((r) => r.suspended_by)
        .map((r) => [r.app_slug, r.suspended_by!.login]),
    );
    expect(suspended).toHaveLength(2);
  });

  it('converts the -05:00 timestamps to UTC', () => {
    expect(app('nwl-infra-deployer').createdAt).toBe('2023-08-06T21:43:55.000Z');
    for (const raw of rawInstallations()) {
      expect(raw.created_at).toMatch(/-05:00$/);
      expect(byId(`installation:${raw.id}`).createdAt).toBe(new Date(raw.created_at).toISOString());
    }
  });

  it('turns permissions into entitlements and flags the dangerous writes', () => {
    const deployer = app('nwl-infra-deployer');
    expect(deployer.entitlements).toHaveLength(Object.keys(rawInstallations()[9]!.permissions).length);
    const privileged = deployer.entitlements.filter((e) => e.privileged).map((e) => e.name);
    expect(privileged.sort()).toEqual([
      'administration:write',
      'contents:write',
      'environments:write',
      'organization_administration:write',
      'secrets:write',
    ]);
    expect(deployer.entitlements).toContainEqual({
      name: 'members:read',
      resource: 'northwind-logistics (all repositories)',
      privileged: false,
    });
    expect(
      app('renovate')
        .entitlements.filter((e) => e.privileged)
        .map((e) => e.name),
    ).toEqual(['contents:write', 'workflows:write']);
    // contents:write on selected repositories only is ordinary for a release bot.
    expect(app('nwl-release-bot').entitlements.some((e) => e.privileged)).toBe(false);
    expect(app('slack').entitlements.some((e) => e.privileged)).toBe(false);
  });

  /** The fixture's list cut to installations [from, to), as one page of GET /orgs/<org>/installations. */
  const page = (name: string, from: number, to: number): DocumentFile => {
    const json = structuredClone(installations.json) as { total_count: number; installations: unknown[] };
    json.installations = json.installations.slice(from, to);
    return { name, json };
  };

  it('takes the population as partial when the list holds fewer installations than GitHub counted', () => {
    const result = preset.map([page('page1.json', 0, 10)]);
    expect(result.identities).toHaveLength(10);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toEqual([
      {
        file: 'page1.json',
        row: 0,
        message: expect.stringMatching(/holds 10 of the 30 .*population is partial/),
      },
    ]);
  });

  it('takes the pages together as whole, but a page given twice does not make up a missing one', () => {
    const whole = preset.map([page('page1.json', 0, 20), page('page2.json', 20, 30)]);
    expect(whole.identities).toHaveLength(30);
    expect(whole).toMatchObject({ rejects: [], notes: [], partial: false });

    const twice = preset.map([page('page1.json', 0, 15), page('page1 (1).json', 0, 15)]);
    expect(twice.identities).toHaveLength(15);
    expect(twice.partial).toBe(true);
    expect(twice.rejects).toEqual([]);
    expect(twice.notes).toContainEqual({
      file: 'page1 (1).json',
      row: 0,
      message: expect.stringMatching(/holds 15 of the 30 /),
    });
    expect(twice.notes!.filter((n) => /appears twice/.test(n.message))).toHaveLength(15);
  });

  it('counts an unreadable installation as listed: it is rejected, not missing from the list', () => {
    const json = structuredClone(installations.json) as {
      installations: Array<Partial<RawInstallation>>;
    };
    delete json.installations[2]!.id;
    const result = preset.map([{ name: 'installations.json', json }]);
    expect(result.identities).toHaveLength(29);
    expect(result.rejects).toEqual([
      { file: 'installations.json', row: 3, reason: "Installation item 3 cannot be read: 'id' is missing." },
    ]);
    expect(result).toMatchObject({ notes: [], partial: false });
  });

  it('takes the population as partial when no file is a GitHub list at all', async () => {
    const gcp = await readJsonDocument(join(import.meta.dirname, '../../fixtures/gcp/service_accounts.json'));
    const result = preset.map([gcp]);
    expect(result.identities).toEqual([]);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes!.map((n) => [n.file, n.row, n.message])).toEqual([
      ['service_accounts.json', 0, expect.stringContaining('is not a GitHub installations list')],
      ['service_accounts.json', 0, expect.stringMatching(/hold no GitHub installations list.*partial/)],
    ]);
  });
});

describe('github-org deploy keys', () => {
  it('imports the 29 deploy keys of 6 repositories, keyed repository:id', () => {
    const keys = identities.filter((i) => i.kind === 'deploy-key');
    expect(keyFiles).toHaveLength(6);
    expect(keys).toHaveLength(29);
    expect(new Set(keys.map((k) => k.attributes.repository)).size).toBe(6);
    for (const file of keyFiles) {
      const repository = file.name.replace(/^deploy_keys\//, '').replace(/\.json$/, '');
      for (const raw of file.json as RawKey[]) {
        expect(byId(`${repository}:${raw.id}`).entitlements[0]!.resource).toBe(
          `northwind-logistics/${repository}`,
        );
      }
    }
  });

  it('disables the decommissioned atlantis key and its credential', () => {
    const atlantis = identities.find((i) => i.name === 'infra-terraform: atlantis (decommissioned)')!;
    expect(atlantis.status).toBe('disabled');
    expect(atlantis.credentials).toEqual([expect.objectContaining({ type: 'ssh-key', status: 'inactive' })]);
    expect(atlantis.entitlements).toEqual([
      { name: 'write', resource: 'northwind-logistics/infra-terraform', privileged: true },
    ]);
    expect(identities.filter((i) => i.kind === 'deploy-key' && i.status === 'disabled')).toEqual([atlantis]);
  });

  it('reads last_used null as never used, since GitHub reports use for every key', () => {
    const never = rawKeys().filter((k) => k.last_used === null);
    const keys = identities.filter((i) => i.kind === 'deploy-key');
    expect(keys.filter((k) => k.lastUsedAt === null)).toHaveLength(never.length);
    expect(keys.every((k) => k.attributes.usageReported === true)).toBe(true);
    const breakglass = identities.find((i) => i.name === 'infra-terraform: breakglass-rw')!;
    expect(breakglass.lastUsedAt).toBeNull();
    expect(breakglass.credentials[0]!.lastUsedAt).toBeNull();
  });

  it('grants read or write as the key says, write flagged', () => {
    const writable = rawKeys().filter((k) => !k.read_only);
    const keys = identities.filter((i) => i.kind === 'deploy-key');
    expect(keys.filter((k) => k.attributes.writeAccess === true)).toHaveLength(writable.length);
    expect(
      keys.filter((k) => k.entitlements[0]!.name === 'write' && k.entitlements[0]!.privileged),
    ).toHaveLength(writable.length);
  });

  it('records who added a key as a GitHub login, not an e-mail', () => {
    const raw = rawKeys().find((k) => k.title === 'laptop key - temp')!;
    const laptop = byId(`tms-rating-engine:${raw.id}`);
    expect(laptop.owners).toEqual([{ ref: 'github:mquinn-dev', role: 'technical' }]);
    expect(laptop.attributes.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('falls back to the file name for the repository when the key has no URL', () => {
    const wmsCore = keyFiles.find((f) => f.name.endsWith('wms-core.json'))!;
    const stripped = (wmsCore.json as RawKey[]).map(({ url: _url, ...rest }) => rest);
    const result = preset.map([{ name: 'exports/wms-core.json', json: stripped }]);
    expect(result.identities.map((i) => i.externalId)).toEqual(
      (wmsCore.json as RawKey[]).map((k) => `wms-core:${k.id}`),
    );
    expect(result.identities[0]!.entitlements[0]!.resource).toBe('wms-core');
  });

  it('accepts a repository without keys, and notes a file given twice without rejecting it', () => {
    const empty = preset.map([{ name: 'no-keys.json', json: [] }, keyFiles[0]!]);
    expect(empty).toMatchObject({ rejects: [], notes: [], partial: false });
    const twice = preset.map([keyFiles[0]!, keyFiles[0]!]);
    expect(twice.identities).toHaveLength((keyFiles[0]!.json as RawKey[]).length);
    expect(twice.rejects).toEqual([]);
    expect(twice.notes!.every((n) => /appears twice/.test(n.message))).toBe(true);
    expect(twice.notes).toHaveLength((keyFiles[0]!.json as RawKey[]).length);
  });

  it('rejects an unreadable key with its position', () => {
    const keys = structuredClone(keyFiles[0]!.json) as Array<Partial<RawKey>>;
    delete keys[1]!.id;
    const result = preset.map([{ name: 'edi-mappings.json', json: keys }]);
    expect(result.rejects).toEqual([
      { file: 'edi-mappings.json', row: 2, reason: "Deploy key item 2 cannot be read: 'id' is missing." },
    ]);
    expect(result).toMatchObject({ notes: [], partial: false });
  });
});
