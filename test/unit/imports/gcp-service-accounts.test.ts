import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import { gcpServiceAccountsPreset as preset } from '../../../electron/core/imports/presets/gcp-service-accounts';
import type { DocumentFile } from '../../../electron/core/imports/preset-types';
import { readJsonDocument } from '../../../electron/core/imports/readers/json-reader';

const folder = join(import.meta.dirname, '../../fixtures/gcp');

interface RawAccount {
  email: string;
  uniqueId: string;
  description?: string;
  disabled?: boolean;
}
interface RawKey {
  name: string;
  keyType: string;
  keyOrigin: string;
  validAfterTime: string;
  validBeforeTime: string;
  disabled?: boolean;
}

let accountsFile: DocumentFile;
let keyFiles: DocumentFile[];
let identities: NormalizedIdentity[];
const byEmail = (local: string) => {
  const found = identities.find((i) => i.name.split('@')[0] === local);
  expect(found, local).toBeDefined();
  return found!;
};
const rawAccounts = () => accountsFile.json as RawAccount[];
const rawKeys = () => keyFiles.flatMap((f) => f.json as RawKey[]);
const keyId = (key: RawKey) => key.name.split('/').pop()!;

beforeAll(async () => {
  accountsFile = await readJsonDocument(join(folder, 'service_accounts.json'));
  const names = readdirSync(join(folder, 'keys')).sort();
  keyFiles = await Promise.all(
    names.map((n) => readJsonDocument(join(folder, 'keys', n), { name: `keys/${n}` })),
  );
  const result = preset.map([accountsFile, ...keyFiles]);
  expect(result).toMatchObject({ rejects: [], notes: [], partial: false });
  identities = result.identities;
});

describe('gcp-service-accounts detection', () => {
  it('is confident with the account list, with or without key files', () => {
    expect(preset.detect([accountsFile, ...keyFiles])).toBeGreaterThanOrEqual(0.9);
    expect(preset.detect([accountsFile])).toBeGreaterThanOrEqual(0.9);
  });

  it('is not confident with key files alone or with a foreign file', async () => {
    const okta = await readJsonDocument(join(import.meta.dirname, '../../fixtures/okta/service_apps.json'));
    expect(preset.detect(keyFiles)).toBeLessThan(0.5);
    expect(preset.detect([okta])).toBe(0);
    expect(preset.detect([accountsFile, okta])).toBeLessThan(0.5);
  });
});

describe('gcp-service-accounts on the nwl-prod-data export', () => {
  it('imports the 34 accounts keyed by uniqueId and named by e-mail', () => {
    expect(identities).toHaveLength(34);
    expect(identities.map((i) => i.externalId)).toEqual(rawAccounts().map((a) => a.uniqueId));
    expect(identities.map((i) => i.name)).toEqual(rawAccounts().map((a) => a.email));
    expect(identities.every((i) => i.kind === 'service-account' && i.environment === 'production')).toBe(
      true,
    );
  });

  it('reads the 14 keys: user-managed ones as credentials, Google-managed ones only counted', () => {
    expect(rawKeys()).toHaveLength(14);
    const userManaged = rawKeys().filter((k) => k.keyType === 'USER_MANAGED');
    const credentials = identities.flatMap((i) => i.credentials);
    expect(credentials.map((c) => c.externalId).sort()).toEqual(userManaged.map(keyId).sort());
    const counted = identities.reduce((sum, i) => sum + Number(i.attributes.systemManagedKeys), 0);
    expect(counted).toBe(rawKeys().filter((k) => k.keyType === 'SYSTEM_MANAGED').length);
    expect(credentials.length + counted).toBe(14);
  });

  it('keeps the 9999 "never expires" date and the creation time of user-managed keys', () => {
    const terraform = byEmail('terraform-ci');
    expect(terraform.credentials).toHaveLength(2);
    for (const credential of terraform.credentials) {
      const raw = rawKeys().find((k) => keyId(k) === credential.externalId)!;
      expect(credential).toMatchObject({
        type: 'key',
        status: 'active',
        createdAt: new Date(raw.validAfterTime).toISOString(),
        expiresAt: '9999-12-31T23:59:59.000Z',
      });
    }
  });

  it('notes the uploaded (USER_PROVIDED) key and the key with an expiry policy', () => {
    const partner = byEmail('partner-tailspin-sftp');
    const uploaded = rawKeys().filter((k) => k.keyOrigin === 'USER_PROVIDED');
    expect(uploaded).toHaveLength(1);
    expect(partner.attributes.userProvidedKeyIds).toBe(keyId(uploaded[0]!));
    expect(partner.credentials.map((c) => c.expiresAt).sort()).toEqual([
      '2027-01-08T19:38:37.000Z',
      '9999-12-31T23:59:59.000Z',
    ]);
  });

  it('marks the disabled key inactive and disabled accounts disabled', () => {
    const disabledKey = rawKeys().filter((k) => k.disabled);
    expect(disabledKey).toHaveLength(1);
    const legacy = byEmail('sa-legacy-etl');
    expect(legacy.status).toBe('disabled');
    expect(legacy.credentials.find((c) => c.externalId === keyId(disabledKey[0]!))!.status).toBe('inactive');
    expect(legacy.credentials.filter((c) => c.status === 'active')).toHaveLength(1);
    const disabledAccounts = rawAccounts()
      .filter((a) => a.disabled)
      .map((a) => a.email);
    expect(identities.filter((i) => i.status === 'disabled').map((i) => i.name)).toEqual(disabledAccounts);
  });

  it('parses owners from the free-text description', () => {
    expect(byEmail('dataflow-runner').owners).toEqual([
      { ref: 'lena.hartmann@northwindlogistics.example', role: 'business' },
    ]);
    expect(byEmail('terraform-ci').owners).toEqual([{ ref: 'platform-eng', role: 'business' }]);
    expect(byEmail('bq-loader').owners).toEqual([]);
    const described = rawAccounts().filter((a) => /\bowner\s*:/i.test(a.description ?? ''));
    expect(identities.filter((i) => i.owners.length > 0)).toHaveLength(described.length);
  });

  it('flags the Google-created default accounts', () => {
    const defaults = identities.filter((i) => i.attributes.googleManagedDefault !== null);
    expect(defaults.map((i) => [i.name, i.attributes.googleManagedDefault])).toEqual([
      ['804213377215-compute@developer.gserviceaccount.com', 'compute-engine-default'],
      ['nwl-prod-data@appspot.gserviceaccount.com', 'app-engine-default'],
    ]);
  });

  it('says whether keys were listed, so "no credentials" is not read as "no keys"', () => {
    expect(byEmail('github-actions-deploy')).toMatchObject({
      credentials: [],
      attributes: { keysListed: true },
    });
    expect(byEmail('bq-loader')).toMatchObject({ credentials: [], attributes: { keysListed: false } });
  });
});

describe('gcp-service-accounts other shapes and problems', () => {
  it('reads the REST wrappers and matches a key file by its name when keys carry short names', () => {
    const keys = (keyFiles.find((f) => f.name === 'keys/terraform-ci.json')!.json as RawKey[]).map((k) => ({
      ...k,
      name: keyId(k),
    }));
    const result = preset.map([
      { name: 'accounts.json', json: { accounts: rawAccounts() } },
      { name: 'terraform-ci.json', json: { keys } },
      { name: 'bq-loader.json', json: [] },
    ]);
    expect(result).toMatchObject({ rejects: [], notes: [], partial: false });
    const find = (local: string) => result.identities.find((i) => i.name.startsWith(`${local}@`))!;
    expect(find('terraform-ci').credentials).toHaveLength(2);
    expect(find('bq-loader').attributes.keysListed).toBe(true);
  });

  it('notes keys of accounts that are not in the list, and an empty list named after nobody', () => {
    const result = preset.map([
      {
        name: 'accounts.json',
        json: rawAccounts().filter((a) => !a.email.startsWith('fivetran-connector@')),
      },
      keyFiles.find((f) => f.name === 'keys/fivetran-connector.json')!,
      { name: 'keys/ghost.json', json: [] },
    ]);
    expect(result.identities).toHaveLength(33);
    // The keys describe an account outside the list: they are notes, not missing members of the population.
    expect(result.rejects).toEqual([]);
    expect(result.partial).toBe(false);
    expect(result.notes!.map((n) => [n.file, n.row])).toEqual([
      ['keys/fivetran-connector.json', 1],
      ['keys/fivetran-connector.json', 2],
      ['keys/ghost.json', 0],
    ]);
    expect(result.notes![0]!.message).toContain(
      'belongs to fivetran-connector@nwl-prod-data.iam.gserviceaccount.com, which is not in the service account list',
    );
  });

  it('takes roles from a project IAM policy and notes grants to deleted accounts', () => {
    const policy = {
      version: 1,
      etag: 'BwXyz=',
      bindings: [
        {
          role: 'roles/owner',
          members: ['serviceAccount:terraform-ci@nwl-prod-data.iam.gserviceaccount.com'],
        },
        {
          role: 'roles/bigquery.dataViewer',
          members: [
            'serviceAccount:looker-bq@nwl-prod-data.iam.gserviceaccount.com',
            'user:someone@northwindlogistics.example',
            'deleted:serviceAccount:old-loader@nwl-prod-data.iam.gserviceaccount.com?uid=123456',
          ],
        },
        {
          role: 'roles/storage.admin',
          members: ['serviceAccount:looker-bq@nwl-prod-data.iam.gserviceaccount.com'],
          condition: { title: 'exports bucket only' },
        },
      ],
    };
    const result = preset.map([accountsFile, { name: 'policy.json', json: policy }]);
    const find = (local: string) => result.identities.find((i) => i.name.startsWith(`${local}@`))!;
    expect(find('terraform-ci').entitlements).toEqual([
      { name: 'roles/owner', resource: 'projects/nwl-prod-data', privileged: true },
    ]);
    expect(find('looker-bq').entitlements).toEqual([
      { name: 'roles/bigquery.dataViewer', resource: 'projects/nwl-prod-data', privileged: false },
      {
        name: 'roles/storage.admin (if exports bucket only)',
        resource: 'projects/nwl-prod-data',
        privileged: true,
      },
    ]);
    expect(result.rejects).toEqual([]);
    expect(result.partial).toBe(false);
    expect(result.notes).toEqual([
      {
        file: 'policy.json',
        row: 2,
        message: expect.stringContaining(
          'deleted service account old-loader@nwl-prod-data.iam.gserviceaccount.com',
        ),
      },
    ]);
  });

  it('rejects an account without uniqueId with its position', () => {
    const accounts = structuredClone(rawAccounts()) as Array<Partial<RawAccount>>;
    delete accounts[4]!.uniqueId;
    const result = preset.map([{ name: 'service_accounts.json', json: accounts }]);
    expect(result.identities).toHaveLength(33);
    expect(result.rejects).toEqual([
      {
        file: 'service_accounts.json',
        row: 5,
        reason: "Service account item 5 cannot be read: 'uniqueId' is missing.",
      },
    ]);
    expect(result).toMatchObject({ notes: [], partial: false });
  });
});

describe('gcp-service-accounts partial exports', () => {
  /** The fixture's accounts as REST pages of `pageSize=20`: the first carries a nextPageToken, the last none. */
  const restPages = (): DocumentFile[] => [
    {
      name: 'accounts-page1.json',
      json: { accounts: rawAccounts().slice(0, 20), nextPageToken: 'CiAKGjBpNDd2Nmp' },
    },
    { name: 'accounts-page2.json', json: { accounts: rawAccounts().slice(20) } },
  ];

  it('takes the population as whole when the REST pages end with one without a nextPageToken', () => {
    const result = preset.map(restPages());
    expect(result.identities).toHaveLength(34);
    expect(result).toMatchObject({ rejects: [], notes: [], partial: false });
  });

  it('takes the population as partial when the last REST page is dropped', () => {
    const [first] = restPages();
    const result = preset.map([first!, ...keyFiles]);
    expect(result.identities).toHaveLength(20);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toContainEqual({
      file: 'accounts-page1.json',
      row: 0,
      message: expect.stringMatching(
        /service account list is incomplete.*nextPageToken.*population is partial/,
      ),
    });
  });

  it('takes the population as partial when the same REST page is given twice', () => {
    const [first, last] = restPages();
    const copy = { name: 'accounts-page1 (1).json', json: first!.json };
    const result = preset.map([first!, copy, last!]);
    expect(result.identities).toHaveLength(34);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toContainEqual({
      file: copy.name,
      row: 0,
      message: expect.stringMatching(/same nextPageToken.*population is partial/),
    });
    expect(result.notes!.filter((n) => /appears twice/.test(n.message))).toHaveLength(20);
  });

  it('takes the population as partial when only key files are given', () => {
    const result = preset.map(keyFiles);
    expect(result.identities).toEqual([]);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes![0]).toEqual({
      file: keyFiles[0]!.name,
      row: 0,
      message: expect.stringMatching(/hold no service account list.*population is partial/),
    });
  });
});
