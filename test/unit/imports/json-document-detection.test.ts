import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import {
  MIN_DETECTION_CONFIDENCE,
  detectDocumentPreset,
  documentPresetFor,
  documentPresets,
} from '../../../electron/core/imports/presets/document-presets';
import type { DocumentFile } from '../../../electron/core/imports/preset-types';
import { readJsonDocument } from '../../../electron/core/imports/readers/json-reader';

const fixtures = join(import.meta.dirname, '../../fixtures');

async function load(...paths: string[]): Promise<DocumentFile[]> {
  return Promise.all(paths.map((path) => readJsonDocument(join(fixtures, path), { name: path })));
}

function folderFiles(folder: string): string[] {
  return readdirSync(join(fixtures, folder))
    .sort()
    .map((name) => `${folder}/${name}`);
}

function refusal(files: readonly DocumentFile[]): AppError {
  try {
    detectDocumentPreset(files);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected detection to refuse');
}

describe('detectDocumentPreset on the fixture sets', () => {
  // [preset, files, identities, notes, partial]: no fixture set rejects anything; what is not a member
  // of the population (a sign-in record of a deleted app, a binding to a missing account) is a note.
  it.each([
    [
      'entra-service-principals',
      [
        'entra/servicePrincipals_page1.json',
        'entra/servicePrincipals_page2.json',
        'entra/servicePrincipalSignInActivities.json',
      ],
      54,
      1,
      false,
    ],
    ['entra-service-principals', ['entra/servicePrincipals_page2.json'], 24, 0, false],
    // Page 1 alone ends in an @odata.nextLink: the last page is known to be missing.
    ['entra-service-principals', ['entra/servicePrincipals_page1.json'], 30, 1, true],
    [
      'kubernetes-service-accounts',
      ['kubernetes/serviceaccounts.json', 'kubernetes/clusterrolebindings.json'],
      73,
      3,
      false,
    ],
    ['github-org', ['github/org_installations.json', ...folderFiles('github/deploy_keys')], 59, 0, false],
    ['github-org', folderFiles('github/deploy_keys'), 29, 0, false],
    ['gcp-service-accounts', ['gcp/service_accounts.json', ...folderFiles('gcp/keys')], 34, 0, false],
    ['okta', folderFiles('okta'), 63, 0, false],
    ['okta', ['okta/api_tokens.json', 'okta/users_admins.json'], 30, 0, false],
  ] as const)('recognises %s in %j', async (id, paths, identities, notes, partial) => {
    const files = await load(...paths);
    const detected = detectDocumentPreset(files);
    expect(detected.preset.id).toBe(id);
    expect(detected.confidence).toBeGreaterThanOrEqual(MIN_DETECTION_CONFIDENCE);
    const result = detected.preset.map(files);
    expect(result.identities).toHaveLength(identities);
    expect(result.rejects).toEqual([]);
    expect(result.notes).toHaveLength(notes);
    expect(result.partial).toBe(partial);
  });

  it('offers every preset with a distinct id and a source kind', () => {
    expect(new Set(documentPresets.map((p) => p.id)).size).toBe(documentPresets.length);
    expect(documentPresets.map((p) => p.sourceKind)).toEqual([
      'entra',
      'kubernetes',
      'github',
      'gcp',
      'okta',
    ]);
  });
});

describe('detectDocumentPreset refusals', () => {
  it('refuses an unrecognised JSON and says what it looks like and what to do', () => {
    const error = refusal([
      { name: 'inventory.json', json: { generatedAt: '2026-10-30', rows: [{ host: 'a' }] } },
    ]);
    expect(error.code).toBe('UNSUPPORTED_FILE');
    expect(error.message).toContain('This file is not an export Steward recognises.');
    expect(error.message).toContain(
      '- inventory.json: not recognised (an object with keys generatedAt, rows)',
    );
    expect(error.message).toContain('Choose the format explicitly');
    expect(error.message).toContain('Okta (API tokens, service apps, API service integrations)');
  });

  it('refuses files of two systems together, naming what each file is', async () => {
    const files = await load('okta/api_tokens.json', 'github/org_installations.json');
    const error = refusal(files);
    expect(error.code).toBe('UNSUPPORTED_FILE');
    expect(error.message).toContain('- okta/api_tokens.json: an Okta API token list');
    expect(error.message).toContain(
      '- github/org_installations.json: a GitHub organisation installations list',
    );
  });

  it('refuses a supporting file on its own (the sign-in report without the service principals)', async () => {
    const error = refusal(await load('entra/servicePrincipalSignInActivities.json'));
    expect(error.message).toContain('servicePrincipalSignInActivities report (Entra ID)');
  });

  it('refuses an empty array, which could be any vendor list', () => {
    const error = refusal([{ name: 'keys.json', json: [] }]);
    expect(error.message).toContain('- keys.json: not recognised (an empty array)');
  });

  it('refuses an empty selection with its own message', () => {
    expect(() => detectDocumentPreset([])).toThrow(/No files were given/);
  });
});

describe('documentPresetFor', () => {
  it('builds the Kubernetes preset with a cluster name and an owner annotation', async () => {
    const files = await load('kubernetes/serviceaccounts.json');
    const preset = documentPresetFor('kubernetes-service-accounts', {
      clusterName: 'nwl-prod-eks',
      ownerAnnotation: 'meta.helm.sh/release-name',
    });
    const gitlab = preset.map(files).identities.find((i) => i.externalId === 'ci/gitlab-runner')!;
    expect(gitlab.environment).toBe('production');
    expect(gitlab.owners).toEqual([{ ref: 'gitlab-runner', role: 'business' }]);
  });

  it('builds the Entra preset with a home tenant', async () => {
    const files = await load('entra/servicePrincipals_page1.json', 'entra/servicePrincipals_page2.json');
    const preset = documentPresetFor('entra-service-principals', {
      homeTenantId: 'C1FC8718-6A19-4849-9E1B-CF84D27FFCA8',
    });
    const litware = preset.map(files).identities.find((i) => i.name === 'Litware Learning')!;
    expect(litware.attributes.thirdParty).toBe(false);
  });

  it('refuses unknown formats, unknown parameters and malformed values', () => {
    const attempt = (id: string, parameters: Record<string, unknown>) => {
      try {
        documentPresetFor(id, parameters);
      } catch (error) {
        return error instanceof AppError ? `${error.code}: ${error.message}` : String(error);
      }
      return 'accepted';
    };
    expect(attempt('aws-iam', {})).toMatch(/^INVALID_INPUT: There is no JSON import format "aws-iam"/);
    expect(attempt('kubernetes-service-accounts', { cluster: 'x' })).toMatch(/^INVALID_INPUT: .*not valid/);
    expect(attempt('entra-service-principals', { homeTenantId: 'contoso' })).toMatch(/homeTenantId/);
    expect(attempt('okta', { anything: 1 })).toMatch(/takes no parameters/);
    expect(attempt('okta', {})).toBe('accepted');
  });
});
