import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { MethodOutput } from '../../../shared/api/contract';
import { CONNECTOR_TYPE_INFO, CONNECTOR_TYPES } from '../../core/connectors/connector-fields';
import type { ConnectorType } from '../../core/connectors/connector-types';
import type { CliContext } from '../cli-context';
import { obtainSecret } from '../passphrase';
import { describeSummary, summaryForScripts } from './import-commands';

type Profile = MethodOutput<'connectors.list'>[number];

interface AddFlags {
  type: string;
  kubeconfig?: string;
  context?: string;
  org?: string;
  baseUrl?: string;
  tenant?: string;
  clientId?: string;
  authorityHost?: string;
  graphUrl?: string;
  region?: string;
  endpoint?: string;
  profile?: string;
}

/** Each flag of `connector add`: the option key it fills and the type it belongs to. */
const OPTION_FLAGS: Array<{ flag: keyof AddFlags; cli: string; type: ConnectorType; key: string }> = [
  { flag: 'kubeconfig', cli: '--kubeconfig', type: 'kubernetes', key: 'kubeconfigFile' },
  { flag: 'context', cli: '--context', type: 'kubernetes', key: 'context' },
  { flag: 'org', cli: '--org', type: 'github', key: 'org' },
  { flag: 'baseUrl', cli: '--base-url', type: 'github', key: 'baseUrl' },
  { flag: 'tenant', cli: '--tenant', type: 'entra', key: 'tenantId' },
  { flag: 'clientId', cli: '--client-id', type: 'entra', key: 'clientId' },
  { flag: 'authorityHost', cli: '--authority-host', type: 'entra', key: 'authorityHost' },
  { flag: 'graphUrl', cli: '--graph-url', type: 'entra', key: 'graphUrl' },
  { flag: 'region', cli: '--region', type: 'aws', key: 'region' },
  { flag: 'endpoint', cli: '--endpoint', type: 'aws', key: 'endpoint' },
  { flag: 'profile', cli: '--profile', type: 'aws', key: 'profile' },
];

function describeProfile(profile: Profile): string {
  const secrets = profile.secrets.map((s) => `${s.label} ${s.masked}`).join(', ') || 'no stored secret';
  const last = profile.lastPull
    ? `last pull ${profile.lastPull.finishedAt}: ${profile.lastPull.outcome}` +
      (profile.lastPull.outcome === 'ok' ? `, ${profile.lastPull.items} identities` : '')
    : 'never pulled';
  return `${profile.name}\t${profile.typeLabel}\t${profile.target}\t${secrets}\t${last}`;
}

export function registerConnectorCommands(
  program: Command,
  { io, openCore, call, unlock, print, failure }: CliContext,
): void {
  /** The options the flags give, refusing flags of another type and naming the ones a type needs. */
  const optionsFrom = (type: ConnectorType, flags: AddFlags): Record<string, string> => {
    const options: Record<string, string> = {};
    for (const { flag, cli, type: owner, key } of OPTION_FLAGS) {
      const value = flags[flag];
      if (value === undefined) continue;
      if (owner !== type) {
        throw failure('USAGE', `${cli} is an option of --type ${owner}, not ${type}. ${usageOf(type)}`);
      }
      options[key] = flag === 'kubeconfig' ? resolve(value) : value;
    }
    for (const field of CONNECTOR_TYPE_INFO[type].options) {
      if (field.required && options[field.key] === undefined) {
        const cli = OPTION_FLAGS.find((f) => f.key === field.key)!.cli;
        throw failure('USAGE', `${cli} is required for --type ${type} (${field.hint}) ${usageOf(type)}`);
      }
    }
    return options;
  };

  /** Secrets from their environment variables or hidden prompts, never from argv. */
  const secretsFor = async (type: ConnectorType, options: Record<string, string>) => {
    const secrets: Record<string, string> = {};
    for (const field of CONNECTOR_TYPE_INFO[type].secrets) {
      if (field.readFromOption) continue; // the core reads it from the file, now
      const names = field.env ?? [];
      const set = names.find((name) => io.env[name] !== undefined && io.env[name] !== '');
      // AWS takes no key when a named profile supplies the credentials; a session token is optional.
      const needed = type === 'aws' ? !options.profile && field.key !== 'sessionToken' : field.required;
      if (!set && !needed) continue;
      const value = await obtainSecret(io, {
        envName: set ?? names[0]!,
        prompt: `${field.label}: `,
        what: `${field.label.toLowerCase()} (${names.join(' or ')})`,
      });
      if (value !== '') secrets[field.key] = value;
    }
    return secrets;
  };

  const connector = program
    .command('connector')
    .description('connection profiles that pull AWS IAM, Entra ID, GitHub and Kubernetes into the vault');

  connector
    .command('add')
    .description(
      'add a profile; secrets come from environment variables (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / ' +
        'AWS_SESSION_TOKEN, STEWARD_ENTRA_CLIENT_SECRET, STEWARD_GITHUB_TOKEN or GITHUB_TOKEN) or a hidden prompt',
    )
    .argument('<name>', 'the profile name; it becomes the source of its snapshots')
    .requiredOption('--type <type>', `the source: ${CONNECTOR_TYPES.join(', ')}`)
    .option(
      '--kubeconfig <file>',
      'kubernetes: the kubeconfig to read now (its tokens are kept in the vault)',
    )
    .option('--context <name>', 'kubernetes: the context to use (default: its current-context)')
    .option('--org <org>', 'github: the organisation')
    .option('--base-url <url>', 'github: the API URL of GitHub Enterprise Server')
    .option('--tenant <id>', 'entra: the tenant id')
    .option('--client-id <id>', 'entra: the application (client) id')
    .option('--authority-host <url>', 'entra: the sign-in host of a national cloud')
    .option('--graph-url <url>', 'entra: the Graph URL of a national cloud')
    .option('--region <region>', 'aws: the region to sign for (default us-east-1)')
    .option('--endpoint <url>', 'aws: a non-standard IAM endpoint')
    .option('--profile <name>', 'aws: a named profile of ~/.aws/config instead of an access key')
    .action(async (name: string, flags: AddFlags, command: Command) => {
      if (!(CONNECTOR_TYPES as string[]).includes(flags.type)) {
        throw failure(
          'USAGE',
          `"${flags.type}" is not a connector type. Use --type ${CONNECTOR_TYPES.join('|')}.`,
        );
      }
      const type = flags.type as ConnectorType;
      const options = optionsFrom(type, flags);
      const target = openCore(command);
      await unlock(target);
      const secrets = await secretsFor(type, options);
      const added = await call(target, 'connectors.add', { name, type, options, secrets });
      print(
        command,
        added,
        `Added ${describeProfile(added)}\nTest it with: steward connector test ${added.name}`,
      );
    });

  connector
    .command('list')
    .description('every profile with its target, masked secrets and last pull')
    .action(async (_options, command: Command) => {
      const target = openCore(command);
      await unlock(target);
      const profiles = await call(target, 'connectors.list', {});
      print(
        command,
        profiles,
        profiles.map(describeProfile).join('\n') ||
          'No connectors yet. Add one with `steward connector add NAME --type TYPE`.',
      );
    });

  connector
    .command('test')
    .description('sign in and try every read a pull needs; exits 1 when a check fails')
    .argument('<name>', 'the profile')
    .action(async (name: string, _options, command: Command) => {
      const target = openCore(command);
      await unlock(target);
      const checks = await call(target, 'connectors.test', { name });
      print(command, checks, checks.map((c) => `${c.ok ? '✓' : '✗'} ${c.name}: ${c.message}`).join('\n'));
      const failed = checks.filter((c) => !c.ok).length;
      if (failed > 0) {
        throw failure(
          'CONNECTOR_FAILED',
          `${failed} of ${checks.length} checks failed. Fix what they say and test again.`,
        );
      }
    });

  connector
    .command('rotate')
    .description("replace a profile's secrets (from the same environment variables or prompts as add)")
    .argument('<name>', 'the profile')
    .action(async (name: string, _options, command: Command) => {
      const target = openCore(command);
      await unlock(target);
      const profile = (await call(target, 'connectors.list', {})).find(
        (p) => p.name.toLowerCase() === name.trim().toLowerCase(),
      );
      if (!profile) {
        throw failure(
          'INVALID_INPUT',
          `There is no connector named "${name.trim()}". See \`steward connector list\`.`,
        );
      }
      const secrets = await secretsFor(profile.type, profile.options);
      const updated = await call(target, 'connectors.updateSecrets', { name: profile.name, secrets });
      print(command, updated, `Rotated ${describeProfile(updated)}`);
    });

  connector
    .command('remove')
    .description('delete a profile and its stored secrets; its snapshots and pull history stay')
    .argument('<name>', 'the profile')
    .action(async (name: string, _options, command: Command) => {
      const target = openCore(command);
      await unlock(target);
      const removed = await call(target, 'connectors.remove', { name });
      print(command, removed, removed.message);
    });

  program
    .command('pull')
    .description('pull a connector profile into the vault as one snapshot (the same summary as import)')
    .argument('<name>', 'the connector profile')
    .action(async (name: string, _options, command: Command) => {
      const target = openCore(command);
      await unlock(target);
      const showProgress = io.interactive && !command.optsWithGlobals<{ json?: boolean }>().json;
      const unsubscribe = target.onEvent((event) => {
        if (showProgress && event.name === 'task.progress') {
          const { label, done } = event.payload as { label: string; done: number };
          io.stderr(`\r${label} (${done})…`.padEnd(80));
        }
      });
      try {
        const summary = await call(target, 'connectors.pull', { name });
        if (showProgress) io.stderr('\r'.padEnd(81) + '\r');
        print(command, summaryForScripts(summary), describeSummary(summary));
      } finally {
        unsubscribe();
      }
    });
}

function usageOf(type: ConnectorType): string {
  switch (type) {
    case 'kubernetes':
      return 'Usage: connector add NAME --type kubernetes --kubeconfig FILE [--context NAME]';
    case 'github':
      return 'Usage: connector add NAME --type github --org ORG [--base-url URL]';
    case 'entra':
      return 'Usage: connector add NAME --type entra --tenant ID --client-id ID [--authority-host URL] [--graph-url URL]';
    case 'aws':
      return 'Usage: connector add NAME --type aws [--region R] [--endpoint URL] [--profile P]';
  }
}
