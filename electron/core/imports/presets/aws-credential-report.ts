import type {
  NormalizedCredential,
  NormalizedEntitlement,
  NormalizedIdentity,
} from '../../../../shared/domain/identity';
import { raggedRowReason } from '../column-mapping';
import { parseSourceDate, type SourceDate } from '../dates';
import type { TablePreset, TableRow } from '../preset-types';

/**
 * The AWS IAM credential report (`aws iam get-credential-report`): one row per IAM user with its
 * console password, two access keys and two signing certificates, as documented in the IAM User
 * Guide ("Getting credential reports"). Keys: the user's ARN (unique and stable for the account).
 *
 * The `<root_account>` row is kept: the root user is the most powerful identity of the account and
 * exactly what an auditor wants reviewed (root access keys should not exist, MFA should be on). It is
 * imported as `iam-user` with `attributes.root = true` and an "AWS account root user" entitlement.
 *
 * Values: ISO 8601 dates, `true`/`false`, `N/A` for "does not apply", `no_information` for "AWS did
 * not record it" (use before October 2014), `not_supported` for fields that do not exist for root.
 * A key that exists but was never used has `N/A` in its last-used fields. Whether a key is active
 * comes from `*_active`, never from the presence of a date (a deactivated key keeps its date).
 */
export const AWS_CREDENTIAL_REPORT_HEADER = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_1_last_used_region',
  'access_key_1_last_used_service',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
  'access_key_2_last_used_region',
  'access_key_2_last_used_service',
  'cert_1_active',
  'cert_1_last_rotated',
  'cert_2_active',
  'cert_2_last_rotated',
] as const;

type Column = (typeof AWS_CREDENTIAL_REPORT_HEADER)[number];

export const awsCredentialReportPreset: TablePreset = {
  id: 'aws-credential-report',
  label: 'AWS IAM credential report',
  sourceKind: 'aws',
  shape: 'table',

  detect(header) {
    const names = header.map((name) => name.trim().toLowerCase());
    if (
      names.length === AWS_CREDENTIAL_REPORT_HEADER.length &&
      names.every((name, index) => name === AWS_CREDENTIAL_REPORT_HEADER[index])
    ) {
      return 1;
    }
    // AWS may add columns one day: the identifying ones in any order still make it this report.
    const required: readonly Column[] = [
      'user',
      'arn',
      'password_enabled',
      'access_key_1_active',
      'access_key_1_last_rotated',
    ];
    const present = AWS_CREDENTIAL_REPORT_HEADER.filter((name) => names.includes(name)).length;
    return required.every((name) => names.includes(name))
      ? 0.5 + 0.4 * (present / AWS_CREDENTIAL_REPORT_HEADER.length)
      : 0;
  },

  createRowMapper(header) {
    const names = header.map((name) => name.trim().toLowerCase());
    const index = new Map<string, number>(names.map((name, position) => [name, position]));
    return (row: TableRow) => {
      const ragged = raggedRowReason(row, header);
      if (ragged) return { reject: ragged };
      const value = (column: Column): string => {
        const position = index.get(column);
        return position === undefined ? '' : (row.cells[position] ?? '').trim();
      };
      const problems: string[] = [];
      const date = (column: Column): SourceDate => {
        const result = parseSourceDate(value(column));
        if (result.kind === 'invalid' || result.kind === 'ambiguous')
          problems.push(`${column}: ${result.reason}`);
        return result;
      };
      const iso = (result: SourceDate): string | null => (result.kind === 'date' ? result.iso : null);

      const user = value('user');
      const arn = value('arn');
      if (user === '') return { reject: "'user' is empty: every row of the report names an IAM user." };
      if (!/^arn:aws[\w-]*:iam::\d{12}:/.test(arn)) {
        return {
          reject: `'arn' is '${arn}', not an IAM ARN (arn:aws:iam::<account>:user/...): the row cannot be keyed.`,
        };
      }
      const root = user === '<root_account>' || /:root$/.test(arn);
      const accountId = /^arn:aws[\w-]*:iam::(\d{12}):/.exec(arn)![1]!;
      // The IAM path ("/service/") is only visible inside the ARN: arn:aws:iam::<account>:user/service/name.
      const resource = arn.slice(arn.indexOf(':user/') + ':user'.length);
      const path = root || !arn.includes(':user/') ? null : resource.slice(0, resource.lastIndexOf('/') + 1);

      const credentials: NormalizedCredential[] = [];
      const lastUses: string[] = [];
      let usageUnknown = false;

      // The console password. Root's `password_enabled` is `not_supported`: a recorded use shows it has one.
      const passwordEnabled = value('password_enabled');
      const passwordUsed = date('password_last_used');
      const hasPassword = passwordEnabled === 'true' || (root && passwordUsed.kind === 'date');
      if (hasPassword) {
        if (passwordUsed.kind === 'date') lastUses.push(passwordUsed.iso);
        if (passwordUsed.kind === 'unknown' && value('password_last_used') === 'no_information')
          usageUnknown = true;
        credentials.push({
          externalId: null,
          type: 'password',
          status: 'active',
          createdAt: null,
          lastRotatedAt: iso(date('password_last_changed')),
          expiresAt: iso(date('password_next_rotation')),
          lastUsedAt: iso(passwordUsed),
        });
      }

      const keyAttributes: Record<string, string> = {};
      for (const n of [1, 2] as const) {
        const active = value(`access_key_${n}_active`) === 'true';
        const rotated = date(`access_key_${n}_last_rotated`);
        // A key exists when it is active or has a creation/rotation date; `false` + `N/A` = no key.
        if (!active && rotated.kind !== 'date') continue;
        const used = date(`access_key_${n}_last_used_date`);
        if (used.kind === 'date') lastUses.push(used.iso);
        const region = value(`access_key_${n}_last_used_region`);
        const service = value(`access_key_${n}_last_used_service`);
        if (used.kind === 'date' && region !== 'N/A' && service !== 'N/A') {
          keyAttributes[`accessKey${n}LastUsedRegion`] = region;
          keyAttributes[`accessKey${n}LastUsedService`] = service;
        }
        credentials.push({
          externalId: null,
          type: 'access-key',
          status: active ? 'active' : 'inactive',
          // `last_rotated` is when the current key was created: AWS keys are replaced, not changed.
          createdAt: iso(rotated),
          lastRotatedAt: iso(rotated),
          expiresAt: null,
          lastUsedAt: iso(used),
        });
      }

      for (const n of [1, 2] as const) {
        const active = value(`cert_${n}_active`) === 'true';
        const rotated = date(`cert_${n}_last_rotated`);
        if (!active && rotated.kind !== 'date') continue;
        credentials.push({
          externalId: null,
          type: 'certificate',
          status: active ? 'active' : 'inactive',
          createdAt: iso(rotated),
          lastRotatedAt: iso(rotated),
          expiresAt: null,
          lastUsedAt: null,
        });
      }

      const entitlements: NormalizedEntitlement[] = root
        ? [{ name: 'AWS account root user', resource: `aws-account:${accountId}`, privileged: true }]
        : [];
      const attributes: NormalizedIdentity['attributes'] = {
        arn,
        accountId,
        path,
        root,
        mfaActive: value('mfa_active') === 'true',
        interactiveLogin: hasPassword,
        // Certificates report no use, so only passwords and keys count; `no_information` means unknown.
        usageReported: !usageUnknown,
        ...keyAttributes,
      };
      if (usageUnknown) attributes.passwordLastUsed = 'no_information';
      if (problems.length > 0) attributes.dateProblems = problems.join('; ');

      const identity: NormalizedIdentity = {
        externalId: arn,
        kind: 'iam-user',
        name: user,
        environment: null,
        // IAM users have no enabled flag: a listed user exists and signs in with any active credential.
        status: 'active',
        description: null,
        createdAt: iso(date('user_creation_time')),
        lastUsedAt: lastUses.length > 0 ? lastUses.reduce((a, b) => (a > b ? a : b)) : null,
        owners: [],
        credentials,
        entitlements,
        attributes,
      };
      return { identity };
    };
  },
};
