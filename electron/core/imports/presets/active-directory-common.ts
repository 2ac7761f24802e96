import type {
  IdentityStatus,
  NormalizedCredential,
  NormalizedEntitlement,
  NormalizedIdentity,
  NormalizedOwner,
} from '../../../../shared/domain/identity';
import { raggedRowReason } from '../column-mapping';
import { DateOrderDetector, type SourceDate } from '../dates';
import type { RowOutcome, TableRow } from '../preset-types';

/**
 * What the two Active Directory presets share: reading a Windows PowerShell 5.1 `Export-Csv` of
 * `Get-ADServiceAccount` or `Get-ADUser` objects.
 *
 * - Column names are matched without regard to case (`managedBy` is spelled the LDAP way).
 * - Multi-valued properties exported with `-Properties *` come out as the .NET type name
 *   (`Microsoft.ActiveDirectory.Management.ADPropertyValueCollection`, `System.Byte[]`): that is not
 *   a value, and is read as "not exported".
 * - Text dates follow the exporting machine's culture (en-US: `M/D/YYYY h:mm:ss AM/PM`); one file
 *   has one culture, so all its date columns teach one day/month detector. FILETIME columns
 *   (`lastLogonTimestamp`, `lastLogon`, `pwdLastSet`, `accountExpires`) are exact and preferred.
 * - The key is `ObjectGUID` (it never changes, not on rename nor on move); exports without it fall
 *   back to `objectSid`, then to `<dns domain>\<SamAccountName>` (unique in the domain and kept when
 *   the account moves between OUs, unlike the DN), then to the DN. `attributes.externalIdFrom` says which.
 */

/** AdminSDHolder-protected groups and the well-known ones that hand over a domain; compared by CN. */
const PRIVILEGED_GROUPS = new Set(
  [
    'Domain Admins',
    'Enterprise Admins',
    'Schema Admins',
    'Administrators',
    'Backup Operators',
    'Account Operators',
    'Server Operators',
    'Print Operators',
    'DnsAdmins',
    'Group Policy Creator Owners',
    'Key Admins',
    'Enterprise Key Admins',
  ].map((name) => name.toLowerCase()),
);

export function isPrivilegedAdGroup(distinguishedNameOrCn: string): boolean {
  return PRIVILEGED_GROUPS.has(commonNameOf(distinguishedNameOrCn).toLowerCase());
}

const DOTNET_PLACEHOLDER = /^(?:Microsoft|System)\.[\w.`+[\], ]+$/;

/** `Microsoft.ActiveDirectory.Management.ADPropertyValueCollection` and the like: a type name, not data. */
export function isDotNetPlaceholder(value: string): boolean {
  return DOTNET_PLACEHOLDER.test(value);
}

/** The first RDN's value: `CN=Domain Admins,CN=Users,DC=…` -> `Domain Admins` (escaped commas kept). */
export function commonNameOf(distinguishedName: string): string {
  const match = /^\s*(?:CN|OU)=((?:\\.|[^,\\])*)/i.exec(distinguishedName);
  return match ? match[1]!.replace(/\\(.)/g, '$1').trim() : distinguishedName.trim();
}

/** `…,DC=corp,DC=northwindlogistics,DC=example` -> `corp.northwindlogistics.example`. */
export function dnsDomainOf(distinguishedName: string): string | null {
  const parts = [...distinguishedName.matchAll(/(?:^|,)\s*DC=([^,]+)/gi)].map((match) => match[1]!.trim());
  return parts.length > 0 ? parts.join('.').toLowerCase() : null;
}

export interface AdAccountOptions {
  /** Where the owner's DN is: `managedBy` for gMSAs (a computer-derived class), `Manager` for users. */
  ownerColumns: readonly string[];
  /** gMSA/MSA passwords are generated and rotated by AD itself. */
  managedPassword: boolean;
}

export function headerHas(header: readonly string[], ...names: string[]): boolean {
  const lower = new Set(header.map((name) => name.trim().toLowerCase()));
  return names.every((name) => lower.has(name.toLowerCase()));
}

export function createAdRowMapper(
  header: readonly string[],
  options: AdAccountOptions,
): (row: TableRow) => RowOutcome {
  const positions = new Map<string, number>();
  header.forEach((name, position) => {
    const key = name.trim().toLowerCase();
    if (!positions.has(key)) positions.set(key, position);
  });
  const has = (column: string) => positions.has(column.toLowerCase());
  const fileCulture = new DateOrderDetector();
  const textDateColumns = [
    'LastLogonDate',
    'PasswordLastSet',
    'whenCreated',
    'Created',
    'whenChanged',
    'Modified',
  ];

  return (row) => {
    const ragged = raggedRowReason(row, header);
    if (ragged) return { reject: ragged };
    const value = (column: string): string => {
      const position = positions.get(column.toLowerCase());
      if (position === undefined) return '';
      const text = (row.cells[position] ?? '').trim();
      return isDotNetPlaceholder(text) ? '' : text;
    };
    for (const column of textDateColumns) fileCulture.observe(value(column));
    const problems: string[] = [];
    const textDate = (column: string): SourceDate => {
      const result = fileCulture.parse(value(column));
      if (result.kind === 'ambiguous' || result.kind === 'invalid')
        problems.push(`${column}: ${result.reason}`);
      return result;
    };
    const filetime = (column: string): SourceDate => {
      const result = fileCulture.parse(value(column), { filetime: true });
      if (result.kind === 'ambiguous' || result.kind === 'invalid')
        problems.push(`${column}: ${result.reason}`);
      return result;
    };

    const sam = value('SamAccountName');
    const distinguishedName = value('DistinguishedName');
    const name =
      value('Name') || sam.replace(/\$$/, '') || (distinguishedName ? commonNameOf(distinguishedName) : '');
    if (name === '')
      return {
        reject:
          "'Name', 'SamAccountName' and 'DistinguishedName' are all empty: the account cannot be named.",
      };
    const domain = distinguishedName ? dnsDomainOf(distinguishedName) : null;
    const guid = value('ObjectGUID');
    const sid = value('objectSid') || value('SID');
    let externalId: string;
    let externalIdFrom: string;
    if (guid) [externalId, externalIdFrom] = [guid.toLowerCase(), 'objectGUID'];
    else if (sid) [externalId, externalIdFrom] = [sid.toUpperCase(), 'objectSid'];
    else if (sam)
      [externalId, externalIdFrom] = [
        domain ? `${domain}\\${sam.toLowerCase()}` : sam.toLowerCase(),
        'samAccountName',
      ];
    else if (distinguishedName) [externalId, externalIdFrom] = [distinguishedName, 'distinguishedName'];
    else
      return {
        reject:
          "'ObjectGUID', 'objectSid', 'SamAccountName' and 'DistinguishedName' are all empty: the account has no id.",
      };

    const enabled = value('Enabled').toLowerCase();
    const status: IdentityStatus =
      enabled === 'true' ? 'active' : enabled === 'false' ? 'disabled' : 'unknown';

    // lastLogonTimestamp replicates (9-14 days late); lastLogon is exact but per domain controller.
    // Either is a real logon, so the later one counts; an empty value means never logged on.
    const logons = [filetime('lastLogonTimestamp'), filetime('lastLogon')];
    let lastUsedAt = latest(logons);
    let usageReported = has('lastLogonTimestamp') || has('lastLogon');
    if (lastUsedAt === null && has('LastLogonDate')) {
      const text = textDate('LastLogonDate');
      lastUsedAt = text.kind === 'date' ? text.iso : null;
      usageReported = text.kind === 'date' || text.kind === 'empty' || text.kind === 'never';
    }
    if (logons.some((logon) => logon.kind === 'invalid')) usageReported = false;

    const owners: NormalizedOwner[] = [];
    const ownerDn = options.ownerColumns.map(value).find((text) => text !== '');
    if (ownerDn) owners.push({ ref: ownerDn, role: 'business' });

    const entitlements: NormalizedEntitlement[] = [];
    const groups = value('MemberOf')
      .split(';')
      .map((group) => group.trim())
      .filter((group) => group !== '');
    const primaryGroup = value('PrimaryGroup');
    for (const group of primaryGroup ? [...groups, primaryGroup] : groups) {
      if (entitlements.some((entitlement) => entitlement.resource === group)) continue;
      entitlements.push({
        name: commonNameOf(group),
        resource: group,
        privileged: isPrivilegedAdGroup(group),
      });
    }

    const credentials: NormalizedCredential[] = [];
    const pwdLastSet = filetime('pwdLastSet');
    const passwordLastSet = pwdLastSet.kind === 'date' ? pwdLastSet : textDate('PasswordLastSet');
    credentials.push({
      externalId: null,
      type: 'password',
      status: status === 'disabled' ? 'inactive' : 'active',
      createdAt: null,
      // pwdLastSet 0 means "must change at next logon": no known set date.
      lastRotatedAt: passwordLastSet.kind === 'date' ? passwordLastSet.iso : null,
      expiresAt: null,
      lastUsedAt: null,
    });

    const created = [textDate('whenCreated'), textDate('Created')].find((result) => result.kind === 'date');
    const accountExpires = filetime('accountExpires');
    const attributes: NormalizedIdentity['attributes'] = {
      externalIdFrom,
      samAccountName: sam || null,
      distinguishedName: distinguishedName || null,
      userPrincipalName: value('UserPrincipalName') || null,
      domain,
      usageReported,
      passwordNeverExpires: flag(value('PasswordNeverExpires')),
      managedPassword: options.managedPassword,
    };
    if (guid) attributes.objectGuid = guid.toLowerCase();
    if (sid) attributes.sid = sid.toUpperCase();
    const objectClass = value('ObjectClass');
    if (objectClass) attributes.objectClass = objectClass;
    if (accountExpires.kind === 'date') attributes.accountExpires = accountExpires.iso;
    if (accountExpires.kind === 'never') attributes.accountExpires = 'never';
    for (const [column, key] of [
      ['PasswordNotRequired', 'passwordNotRequired'],
      ['TrustedForDelegation', 'trustedForDelegation'],
      ['TrustedToAuthForDelegation', 'trustedToAuthForDelegation'],
      ['LockedOut', 'lockedOut'],
    ] as const) {
      const flagValue = flag(value(column));
      if (flagValue !== null) attributes[key] = flagValue;
    }
    const spns = value('servicePrincipalName') || value('ServicePrincipalNames');
    if (spns) attributes.servicePrincipalNames = spns;
    const dnsHostName = value('DNSHostName');
    if (dnsHostName) attributes.dnsHostName = dnsHostName;
    if (problems.length > 0) attributes.dateProblems = problems.join('; ');

    const description = value('Description');
    return {
      identity: {
        externalId,
        kind: 'service-account',
        name,
        environment: null,
        status,
        description: description || null,
        createdAt: created?.kind === 'date' ? created.iso : null,
        lastUsedAt,
        owners,
        credentials,
        entitlements,
        attributes,
      },
    };
  };
}

function latest(results: readonly SourceDate[]): string | null {
  let best: string | null = null;
  for (const result of results)
    if (result.kind === 'date' && (best === null || result.iso > best)) best = result.iso;
  return best;
}

function flag(text: string): boolean | null {
  const lower = text.toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : null;
}
