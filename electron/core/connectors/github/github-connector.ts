import { z } from 'zod';
import { AppError } from '../../../../shared/api/errors';
import type { ImportReject, NormalizedIdentity } from '../../../../shared/domain/identity';
import type { DocumentFile, ImportNote } from '../../imports/preset-types';
import { documentPresetFor } from '../../imports/presets/document-presets';
import type {
  ConnectionCheck,
  Connector,
  ConnectorPullResult,
  ConnectorRunContext,
} from '../connector-types';
import {
  DEFAULT_GITHUB_TUNING,
  GITHUB_API_URL,
  gitHubFailure,
  openGitHubSession,
  type GitHubRetryTuning,
  type GitHubSession,
  type GitHubStep,
} from './github-client';
import { mapPatGrants } from './github-pat-grants';

/**
 * GitHub organisation pull (issue #6): App installations, every repository's deploy keys and the
 * fine-grained personal access tokens granted to the organisation, read with @octokit/rest (GET only,
 * every page, rate limits honoured). Installations and deploy keys become the same documents as the
 * file export (`org_installations.json`, `deploy_keys/<repo>.json`) and go through the `github-org`
 * preset, so a pull and an import of the same data give the same identities.
 */
export const githubOptionsSchema = z.object({
  org: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][A-Za-z0-9-]*$/, 'an organisation login: letters, digits and hyphens'),
  /** GitHub Enterprise Server: `https://github.example.com/api/v3`. */
  baseUrl: z
    .string()
    .trim()
    .url()
    .refine((url) => /^https?:\/\//i.test(url), 'an http(s) URL')
    .optional(),
});
export type GitHubOptions = z.infer<typeof githubOptionsSchema>;

export const githubSecretsSchema = z.object({ token: z.string().min(1) });
export type GitHubSecrets = z.infer<typeof githubSecretsSchema>;

export interface GitHubConnectorTuning extends GitHubRetryTuning {
  /** Items per page (GitHub's maximum is 100). */
  pageSize: number;
}

const DEFAULT_TUNING: GitHubConnectorTuning = { ...DEFAULT_GITHUB_TUNING, pageSize: 100 };

const SDK = '@octokit/rest 22.0.1 (+ plugin-throttling 11, plugin-retry 8)';

const PAT_PERMISSION =
  'a GitHub App installation token with the organization permission "Personal access tokens: read" (organization_personal_access_tokens)';

interface Run {
  session: GitHubSession;
  org: string;
  baseUrl: string;
  token: string;
  context: ConnectorRunContext;
  tuning: GitHubConnectorTuning;
}

function steps(org: string, baseUrl: string) {
  return {
    org: {
      action: `read the organisation ${org} (GET /orgs/${org})`,
      permission: 'membership of the organisation',
      notFound: `GitHub organisation "${org}" was not found at ${baseUrl}, or the token cannot see it: check the organisation name, that the token's owner is a member, and for GitHub Enterprise Server that the base URL ends in /api/v3`,
    },
    installations: {
      action: `list the GitHub App installations of ${org} (GET /orgs/${org}/installations)`,
      permission:
        'an organisation owner\'s token with the read:org scope (classic token), or the organization permission "Administration: read" (fine-grained token or GitHub App)',
    },
    repositories: {
      action: `list the repositories of ${org} (GET /orgs/${org}/repos)`,
      permission:
        'the repo scope to see private repositories (classic token), or "Metadata: read" on the repositories (fine-grained token or GitHub App)',
    },
    deployKeys: (repo: string): GitHubStep => ({
      action: `list the deploy keys of ${org}/${repo} (GET /repos/${org}/${repo}/keys)`,
      permission:
        'admin rights on the repository with the repo scope (classic token), or the repository permission "Administration: read" (fine-grained token or GitHub App)',
    }),
    patGrants: {
      action: `list the fine-grained personal access tokens granted to ${org} (GET /orgs/${org}/personal-access-tokens)`,
      permission: PAT_PERMISSION,
    },
  } satisfies Record<string, GitHubStep | ((repo: string) => GitHubStep)>;
}

function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new AppError('CANCELLED', 'The GitHub pull was cancelled; nothing was kept.');
}

async function request<T>(run: Run, step: GitHubStep, work: () => Promise<T>): Promise<T> {
  throwIfCancelled(run.context.signal);
  try {
    return await work();
  } catch (error) {
    throw gitHubFailure(error, step, {
      baseUrl: run.baseUrl,
      token: run.token,
      signal: run.context.signal,
      tuning: run.tuning,
    });
  }
}

/** Every page of a list endpoint; `total_count` is the one the first page declared, when any. */
async function readAllPages(
  run: Run,
  step: GitHubStep,
  route: string,
  parameters: Record<string, string | number>,
  onPage: (items: number) => void,
): Promise<{ items: unknown[]; totalCount: number | null }> {
  return request(run, step, async () => {
    const items: unknown[] = [];
    let totalCount: number | null = null;
    const pages = run.session.octokit.paginate.iterator(route, {
      ...parameters,
      per_page: run.tuning.pageSize,
    });
    for await (const page of pages) {
      throwIfCancelled(run.context.signal);
      const data = page.data as unknown[] & { total_count?: number };
      // A proxy's HTML page or an unexpected object must not pass for an empty or odd list.
      if (!Array.isArray(data)) {
        throw new AppError(
          'CONNECTOR_FAILED',
          `GitHub's answer to ${route} is not the list the API documents; nothing was kept. Check the base URL.`,
        );
      }
      if (totalCount === null && typeof data.total_count === 'number') totalCount = data.total_count;
      items.push(...data);
      onPage(items.length);
    }
    return { items, totalCount };
  });
}

function isPermissionFailure(error: unknown): boolean {
  return error instanceof AppError && error.code === 'CONNECTOR_PERMISSION';
}

export function createGitHubConnector(
  tuning: Partial<GitHubConnectorTuning> = {},
): Connector<GitHubOptions, GitHubSecrets> {
  const settings: GitHubConnectorTuning = { ...DEFAULT_TUNING, ...tuning };

  function open(options: GitHubOptions, secrets: GitHubSecrets, context: ConnectorRunContext): Run {
    const baseUrl = (options.baseUrl ?? GITHUB_API_URL).replace(/\/+$/, '');
    const session = openGitHubSession({
      baseUrl,
      token: secrets.token,
      signal: context.signal,
      tuning: settings,
      onWait: (seconds, why) =>
        context.onProgress(`GitHub asked to wait ${seconds} s (${why}); waiting before retrying`, 0),
    });
    return { session, org: options.org, baseUrl, token: secrets.token, context, tuning: settings };
  }

  return {
    type: 'github',
    label: 'GitHub organisation',
    sdk: SDK,
    optionsSchema: githubOptionsSchema,
    secretsSchema: githubSecretsSchema,

    async test(options, secrets, context) {
      const run = open(options, secrets, context);
      const step = steps(run.org, run.baseUrl);
      const checks: ConnectionCheck[] = [];
      const check = async (name: string, work: () => Promise<string>): Promise<void> => {
        try {
          checks.push({ name, ok: true, message: await work() });
        } catch (error) {
          if (error instanceof AppError && error.code === 'CANCELLED') throw error;
          const message = error instanceof AppError ? error.message : 'The check failed unexpectedly.';
          checks.push({ name, ok: false, message });
        }
      };
      const one = (route: string, parameters: Record<string, string | number>) =>
        run.session.octokit.request(route, { ...parameters, per_page: 1 });

      await check(`Sign in and find the organisation ${run.org}`, async () => {
        const response = await request(run, step.org, () =>
          run.session.octokit.request('GET /orgs/{org}', { org: run.org }),
        );
        return `Signed in to ${run.baseUrl}; the token sees ${response.data.login}.`;
      });
      await check('List GitHub App installations (read:org)', async () => {
        const response = await request(run, step.installations, () =>
          one('GET /orgs/{org}/installations', { org: run.org }),
        );
        const data = response.data as { total_count?: number };
        return `The organisation has ${data.total_count ?? 'some'} App installations.`;
      });
      let firstRepo: string | null = null;
      await check('List repositories', async () => {
        const response = await request(run, step.repositories, () =>
          one('GET /orgs/{org}/repos', { org: run.org, type: 'all' }),
        );
        const repos = response.data as Array<{ name: string }>;
        firstRepo = repos[0]?.name ?? null;
        return firstRepo
          ? 'The token can list the repositories.'
          : 'The organisation has no repositories the token can see.';
      });
      await check('List deploy keys (repository admin)', async () => {
        const repo: string | null = firstRepo;
        if (repo === null) return 'No repository to try; deploy keys are read per repository.';
        await request(run, step.deployKeys(repo), () =>
          one('GET /repos/{owner}/{repo}/keys', { owner: run.org, repo }),
        );
        return `The token can read the deploy keys of ${run.org}/${repo}.`;
      });
      await check('List fine-grained token grants (optional)', async () => {
        try {
          await request(run, step.patGrants, () =>
            one('GET /orgs/{org}/personal-access-tokens', { org: run.org }),
          );
          return 'The token can list the fine-grained personal access tokens granted to the organisation.';
        } catch (error) {
          if (!isPermissionFailure(error)) throw error;
          return `Not available with this token: fine-grained token grants need ${PAT_PERMISSION}; pulls will not list them.`;
        }
      });
      return checks;
    },

    async pull(options, secrets, context) {
      const run = open(options, secrets, context);
      const step = steps(run.org, run.baseUrl);
      const { octokit } = run.session;

      context.onProgress(`Reading organisation ${run.org}`, 0);
      const org = await request(run, step.org, () => octokit.request('GET /orgs/{org}', { org: run.org }));

      const installations = await readAllPages(
        run,
        step.installations,
        'GET /orgs/{org}/installations',
        { org: run.org },
        (count) => context.onProgress(`Reading App installations: ${count} so far`, count),
      );
      const documents: DocumentFile[] = [
        {
          name: 'org_installations.json',
          json: {
            total_count: installations.totalCount ?? installations.items.length,
            installations: installations.items,
          },
        },
      ];
      let itemsSoFar = installations.items.length;

      const repos = await readAllPages(
        run,
        step.repositories,
        'GET /orgs/{org}/repos',
        { org: run.org, type: 'all' },
        (count) => context.onProgress(`Listing repositories: ${count} so far`, itemsSoFar),
      );
      const repoNames = repos.items.map((repo) => (repo as { name: string }).name);
      for (const [index, repo] of repoNames.entries()) {
        context.onProgress(
          `Reading deploy keys of ${repo} (${index + 1} of ${repoNames.length})`,
          itemsSoFar,
        );
        const keys = await readAllPages(
          run,
          step.deployKeys(repo),
          'GET /repos/{owner}/{repo}/keys',
          { owner: run.org, repo },
          () => {},
        );
        itemsSoFar += keys.items.length;
        documents.push({ name: `deploy_keys/${repo}.json`, json: keys.items });
      }

      const mapped = documentPresetFor('github-org').map(documents);
      const identities: NormalizedIdentity[] = [...mapped.identities];
      const rejects: ImportReject[] = [...mapped.rejects];
      const notes: ImportNote[] = [...(mapped.notes ?? [])];

      const patFile = `GET /orgs/${run.org}/personal-access-tokens`;
      try {
        const grants = await readAllPages(
          run,
          step.patGrants,
          'GET /orgs/{org}/personal-access-tokens',
          { org: run.org },
          (count) =>
            context.onProgress(`Reading fine-grained token grants: ${count} so far`, itemsSoFar + count),
        );
        const pats = mapPatGrants(grants.items, run.org, patFile);
        identities.push(...pats.identities);
        rejects.push(...pats.rejects);
        notes.push(...pats.notes);
      } catch (error) {
        // A classic token (or an App without the permission) gets 403/404 here. The file export never
        // has these grants either, so the rest of the population is still whole: note it, do not fail.
        if (!isPermissionFailure(error)) throw error;
        notes.push({
          file: patFile,
          row: 0,
          message: `Fine-grained personal access token grants need ${PAT_PERMISSION}; they were not listed.`,
        });
      }

      context.onProgress(`Read ${identities.length} identities from ${run.org}`, identities.length);
      const result: ConnectorPullResult = {
        sourceKind: 'github',
        preset: 'github-org',
        endpoint: run.baseUrl,
        account: org.data.login,
        responses: run.session.responses,
        identities,
        rejects,
        notes,
        partial: mapped.partial === true,
      };
      return result;
    },
  };
}

export const githubConnector = createGitHubConnector();
