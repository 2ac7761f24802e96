import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedIdentity } from '../../../shared/domain/identity';
import { oktaOrgPreset as preset } from '../../../electron/core/imports/presets/okta-org';
import type { DocumentFile } from '../../../electron/core/imports/preset-types';
import { readJsonDocument } from '../../../electron/core/imports/readers/json-reader';

const folder = join(import.meta.dirname, '../../fixtures/okta');

interface RawToken {
  id: string;
  name: string;
  userId: string;
  created: string;
  expiresAt: string;
  lastUpdated: string;
}
interface RawUser {
  id: string;
  status: string;
  profile: { login: string; email: string };
}
interface RawApp {
  id: string;
  label: string;
  status: string;
  settings: { notes: { admin: string | null } };
  credentials: { oauthClient: { token_endpoint_auth_method: string } };
}
interface RawIntegration {
  id: string;
  name: string;
  createdBy: string;
  grantedScopes: string[];
}

let tokens: DocumentFile;
let users: DocumentFile;
let apps: DocumentFile;
let integrations: DocumentFile;
let identities: NormalizedIdentity[];
const raw = <T>(file: DocumentFile) => file.json as T[];
const byId = (id: string) => identities.find((i) => i.externalId === id)!;
const userById = (id: string) => raw<RawUser>(users).find((u) => u.id === id)!;

beforeAll(async () => {
  const read = (name: string) => readJsonDocument(join(folder, name));
  [tokens, users, apps, integrations] = await Promise.all([
    read('api_tokens.json'),
    read('users_admins.json'),
    read('service_apps.json'),
    read('api_service_integrations.json'),
  ]);
  const result = preset.map([tokens, users, apps, integrations]);
  expect(result).toMatchObject({ rejects: [], notes: [], partial: false });
  identities = result.identities;
});

describe('okta detection', () => {
  it('is confident with any of tokens, service apps or integrations', () => {
    expect(preset.detect([tokens, users, apps, integrations])).toBeGreaterThanOrEqual(0.9);
    expect(preset.detect([tokens, users])).toBeGreaterThanOrEqual(0.9);
    expect(preset.detect([apps])).toBeGreaterThanOrEqual(0.9);
    expect(preset.detect([integrations])).toBeGreaterThanOrEqual(0.9);
  });

  it('is not confident with the users list alone or with a foreign file', async () => {
    const gcp = await readJsonDocument(join(import.meta.dirname, '../../fixtures/gcp/service_accounts.json'));
    expect(preset.detect([users])).toBeLessThan(0.5);
    expect(preset.detect([gcp])).toBe(0);
    expect(preset.detect([tokens, gcp])).toBeLessThan(0.5);
  });
});

describe('okta API tokens', () => {
  it('imports the 30 tokens as API keys owned by their user', () => {
    const imported = identities.filter((i) => i.kind === 'api-key');
    expect(imported).toHaveLength(30);
    for (const token of raw<RawToken>(tokens)) {
      expect(byId(token.id).owners).toEqual([
        { ref: userById(token.userId).profile.email, role: 'business' },
      ]);
    }
  });

  it('gives the two tokens of the shared svc-okta-automation user that user as owner', () => {
    const shared = identities.filter(
      (i) => i.attributes.userLogin === 'svc-okta-automation@northwindlogistics.example',
    );
    expect(shared.map((i) => i.name).sort()).toEqual(['Automation (shared)', 'Terraform okta provider']);
    for (const token of shared) {
      expect(token.owners).toEqual([
        { ref: 'svc-okta-automation@northwindlogistics.example', role: 'business' },
      ]);
    }
  });

  it('dates a token by its creation, keeps the idle-window expiry and derives the last use from it', () => {
    for (const token of raw<RawToken>(tokens)) {
      const identity = byId(token.id);
      expect(identity.createdAt).toBe(new Date(token.created).toISOString());
      expect(identity.credentials).toEqual([
        expect.objectContaining({
          type: 'token',
          createdAt: identity.createdAt,
          expiresAt: new Date(token.expiresAt).toISOString(),
        }),
      ]);
      // expiresAt = lastUpdated + P30D in Okta's data: the window starts at the last renewal.
      expect(identity.lastUsedAt).toBe(new Date(token.lastUpdated).toISOString());
    }
    const stale = identities.find((i) => i.name === 'Test token - delete me')!;
    expect(stale.lastUsedAt).toBe('2023-03-17T23:49:53.000Z');
  });

  it('names owners by Okta id, and says so, when the users list is missing', () => {
    const result = preset.map([tokens]);
    expect(result.identities.every((i) => i.owners[0]!.ref.startsWith('okta:'))).toBe(true);
    const distinctUsers = new Set(raw<RawToken>(tokens).map((t) => t.userId));
    expect(result.rejects).toEqual([]);
    expect(result.partial).toBe(false);
    expect(result.notes).toEqual([
      {
        file: 'api_tokens.json',
        row: 0,
        message: expect.stringContaining(`${distinctUsers.size} user id(s)`),
      },
    ]);
  });

  it('rejects an unreadable token, but only notes an unreadable user', () => {
    const brokenTokens = structuredClone(raw<RawToken>(tokens)) as Array<Partial<RawToken>>;
    delete brokenTokens[0]!.id;
    const brokenUsers = structuredClone(raw<RawUser>(users)) as Array<Partial<RawUser>>;
    delete brokenUsers[0]!.id;
    const result = preset.map([
      { name: 'api_tokens.json', json: brokenTokens },
      { name: 'users_admins.json', json: brokenUsers },
    ]);
    expect(result.identities).toHaveLength(29);
    expect(result.rejects).toEqual([
      { file: 'api_tokens.json', row: 1, reason: "API token item 1 cannot be read: 'id' is missing." },
    ]);
    expect(result.notes![0]).toEqual({
      file: 'users_admins.json',
      row: 1,
      message: "User item 1 cannot be read: 'id' is missing; it was ignored.",
    });
    expect(result.partial).toBe(false);
  });
});

describe('okta service apps', () => {
  it('imports the 28 service apps, the 2 inactive ones disabled', () => {
    const serviceApps = identities.filter((i) => i.attributes.integrationType === 'service-app');
    expect(serviceApps).toHaveLength(28);
    const inactive = raw<RawApp>(apps).filter((a) => a.status === 'INACTIVE');
    expect(inactive).toHaveLength(2);
    expect(serviceApps.filter((i) => i.status === 'disabled').map((i) => i.externalId)).toEqual(
      inactive.map((a) => a.id),
    );
    expect(serviceApps.every((i) => i.kind === 'oauth-app')).toBe(true);
  });

  it('takes the owner from the admin note only when it holds an address', () => {
    const withAddress = raw<RawApp>(apps).filter((a) => /@/.test(a.settings.notes.admin ?? ''));
    const owned = identities.filter(
      (i) => i.attributes.integrationType === 'service-app' && i.owners.length > 0,
    );
    expect(owned.map((i) => i.externalId)).toEqual(withAddress.map((a) => a.id));
    expect(identities.find((i) => i.name === 'nwl-scim-provisioner')!.owners).toEqual([
      { ref: 'tomasz.brennan@northwindlogistics.example', role: 'business' },
    ]);
    const unknown = identities.find((i) => i.name === 'grafana-m2m')!;
    expect(unknown.owners).toEqual([]);
    expect(unknown.description).toBe('Owner: unknown');
  });

  it('records how each client authenticates as its credential', () => {
    for (const app of raw<RawApp>(apps)) {
      const method = app.credentials.oauthClient.token_endpoint_auth_method;
      expect(byId(app.id).credentials).toEqual([
        expect.objectContaining({
          type: method === 'private_key_jwt' ? 'key' : 'client-secret',
          status: app.status === 'ACTIVE' ? 'active' : 'inactive',
        }),
      ]);
    }
  });

  it('leaves apps that people sign in to out, and says so in a note, not as a reject', () => {
    const webApp = structuredClone(raw<RawApp>(apps)[0]!) as unknown as {
      id: string;
      settings: { oauthClient: { application_type: string; grant_types: string[] } };
    };
    webApp.id = '0oaWEBAPP';
    webApp.settings.oauthClient.application_type = 'web';
    webApp.settings.oauthClient.grant_types = ['authorization_code'];
    const result = preset.map([{ name: 'apps.json', json: [webApp] }]);
    expect(result.identities).toEqual([]);
    expect(result.rejects).toEqual([]);
    expect(result.partial).toBe(false);
    expect(result.notes).toEqual([
      { file: 'apps.json', row: 1, message: expect.stringContaining('is a web app that people sign in to') },
    ]);
  });
});

describe('okta partial exports', () => {
  it('takes the population as partial when the files hold only the users list', () => {
    const result = preset.map([users]);
    expect(result.identities).toEqual([]);
    expect(result.partial).toBe(true);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toEqual([
      {
        file: 'users_admins.json',
        row: 0,
        message: expect.stringMatching(
          /hold no Okta API token, OAuth app or API service integration list.*partial/,
        ),
      },
    ]);
  });

  it('does not take an empty list as a gap: it may be a list with nothing in it', () => {
    const result = preset.map([{ name: 'api_tokens.json', json: [] }, users]);
    expect(result).toMatchObject({ identities: [], rejects: [], notes: [], partial: false });
  });
});

describe('okta API service integrations', () => {
  it('imports the 5 integrations with their scopes, manage scopes privileged', () => {
    const imported = identities.filter(
      (i) => i.kind === 'oauth-app' && i.attributes.integrationType !== 'service-app',
    );
    expect(imported).toHaveLength(5);
    for (const integration of raw<RawIntegration>(integrations)) {
      expect(byId(integration.id).entitlements).toEqual(
        integration.grantedScopes.map((scope) => ({
          name: scope,
          resource: 'northwindlogistics.okta.com',
          privileged: scope.endsWith('.manage'),
        })),
      );
    }
  });

  it('shows the deprovisioned creator as the contact, with that status', () => {
    const deprovisioned = raw<RawIntegration>(integrations).filter(
      (i) => userById(i.createdBy).status === 'DEPROVISIONED',
    );
    expect(deprovisioned).toHaveLength(1);
    const integration = byId(deprovisioned[0]!.id);
    expect(integration.owners).toEqual([
      { ref: userById(deprovisioned[0]!.createdBy).profile.email, role: 'technical' },
    ]);
    expect(integration.attributes.createdByStatus).toBe('DEPROVISIONED');
  });
});
