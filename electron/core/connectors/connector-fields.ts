import type { ConnectorType } from './connector-types';

/**
 * What each connector type asks the user for, for the CLI's flags and environment variables and the
 * app's "Add connector" form. The connectors' own zod schemas remain the judges of what is valid;
 * this catalogue only says how to ask (labels, hints, where secrets come from) and how to show a
 * profile. It follows the table in the connector design (connectors.md), which every connector
 * implements.
 */
export interface ConnectorField {
  key: string;
  label: string;
  required: boolean;
  /** A short help line shown under the field. */
  hint: string;
  /** An example value, shown as a placeholder. */
  placeholder: string;
  /** Where the CLI reads a secret from, first match wins; options come from flags. */
  env?: string[];
  /**
   * The secret is read by the core from the file named by this option at add time (the kubeconfig):
   * the form shows no field for it.
   */
  readFromOption?: string;
}

export interface ConnectorTypeInfo {
  type: ConnectorType;
  label: string;
  options: ConnectorField[];
  secrets: ConnectorField[];
}

export const CONNECTOR_TYPE_INFO: Record<ConnectorType, ConnectorTypeInfo> = {
  aws: {
    type: 'aws',
    label: 'AWS IAM',
    options: [
      {
        key: 'region',
        label: 'Region',
        required: false,
        hint: 'The region the IAM client signs for (default us-east-1; GovCloud and China need their own).',
        placeholder: 'us-east-1',
      },
      {
        key: 'endpoint',
        label: 'IAM endpoint URL',
        required: false,
        hint: 'Only for a non-standard IAM endpoint; leave empty for AWS itself.',
        placeholder: 'https://iam.amazonaws.com',
      },
      {
        key: 'profile',
        label: 'Named profile',
        required: false,
        hint: 'A profile of ~/.aws/config and ~/.aws/credentials; then no access key is stored here.',
        placeholder: 'audit-readonly',
      },
    ],
    secrets: [
      {
        key: 'accessKeyId',
        label: 'Access key id',
        required: false,
        hint: 'Needed unless a named profile is set.',
        placeholder: 'AKIA…',
        env: ['AWS_ACCESS_KEY_ID'],
      },
      {
        key: 'secretAccessKey',
        label: 'Secret access key',
        required: false,
        hint: 'Needed unless a named profile is set.',
        placeholder: '',
        env: ['AWS_SECRET_ACCESS_KEY'],
      },
      {
        key: 'sessionToken',
        label: 'Session token',
        required: false,
        hint: 'Only for temporary credentials.',
        placeholder: '',
        env: ['AWS_SESSION_TOKEN'],
      },
    ],
  },
  entra: {
    type: 'entra',
    label: 'Microsoft Entra ID',
    options: [
      {
        key: 'tenantId',
        label: 'Tenant id',
        required: true,
        hint: 'The directory (tenant) id of the app registration.',
        placeholder: '0a1b2c3d-…',
      },
      {
        key: 'clientId',
        label: 'Client id',
        required: true,
        hint: 'The application (client) id that has Application.Read.All.',
        placeholder: '9f8e7d6c-…',
      },
      {
        key: 'authorityHost',
        label: 'Authority host',
        required: false,
        hint: 'For a national cloud; default https://login.microsoftonline.com.',
        placeholder: 'https://login.microsoftonline.us',
      },
      {
        key: 'graphUrl',
        label: 'Graph URL',
        required: false,
        hint: 'For a national cloud; default https://graph.microsoft.com.',
        placeholder: 'https://graph.microsoft.us',
      },
    ],
    secrets: [
      {
        key: 'clientSecret',
        label: 'Client secret',
        required: true,
        hint: 'A client secret of the app registration.',
        placeholder: '',
        env: ['STEWARD_ENTRA_CLIENT_SECRET'],
      },
    ],
  },
  github: {
    type: 'github',
    label: 'GitHub',
    options: [
      {
        key: 'org',
        label: 'Organisation',
        required: true,
        hint: 'The organisation login, as in github.com/ORG.',
        placeholder: 'northwind-logistics',
      },
      {
        key: 'baseUrl',
        label: 'API base URL',
        required: false,
        hint: 'For GitHub Enterprise Server (https://HOST/api/v3); default https://api.github.com.',
        placeholder: 'https://github.example.com/api/v3',
      },
    ],
    secrets: [
      {
        key: 'token',
        label: 'Token',
        required: true,
        hint: 'An org owner’s classic token with read:org, or a fine-grained one with Administration: read.',
        placeholder: 'ghp_…',
        env: ['STEWARD_GITHUB_TOKEN', 'GITHUB_TOKEN'],
      },
    ],
  },
  kubernetes: {
    type: 'kubernetes',
    label: 'Kubernetes',
    options: [
      {
        key: 'kubeconfigFile',
        label: 'Kubeconfig file',
        required: true,
        hint: 'Read once when the profile is added; its tokens and keys are kept in the vault.',
        placeholder: '/home/ana/.kube/config',
      },
      {
        key: 'context',
        label: 'Context',
        required: false,
        hint: 'A context of the kubeconfig; default its current-context.',
        placeholder: 'prod-eks',
      },
    ],
    secrets: [
      {
        key: 'kubeconfig',
        label: 'Kubeconfig',
        required: true,
        hint: 'The kubeconfig file’s content.',
        placeholder: '',
        readFromOption: 'kubeconfigFile',
      },
    ],
  },
};

export const CONNECTOR_TYPES = Object.keys(CONNECTOR_TYPE_INFO) as ConnectorType[];

/** Where a profile reads from, in a few words: the org, tenant, account or cluster context. */
export function profileTarget(type: ConnectorType, options: Record<string, unknown>): string {
  const text = (key: string): string | null => {
    const value = options[key];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
  };
  switch (type) {
    case 'github':
      return `${text('org') ?? '?'} on ${text('baseUrl') ?? 'https://api.github.com'}`;
    case 'entra':
      return `tenant ${text('tenantId') ?? '?'}${text('graphUrl') ? ` via ${text('graphUrl')}` : ''}`;
    case 'aws':
      return [
        text('profile') ? `profile ${text('profile')}` : 'access key',
        text('region') ?? 'us-east-1',
        ...(text('endpoint') ? [text('endpoint')!] : []),
      ].join(', ');
    case 'kubernetes':
      return `${text('context') ? `context ${text('context')}` : 'current context'} of ${text('kubeconfigFile') ?? '?'}`;
  }
}
