import type { TablePreset } from '../preset-types';
import { createAdRowMapper, headerHas } from './active-directory-common';

/**
 * Service accounts that are ordinary AD users (`svc_*`), from Windows PowerShell:
 * `Get-ADUser -Filter "SamAccountName -like 'svc_*'" -Properties … | Select-Object …,
 * @{n='MemberOf';e={$_.MemberOf -join ';'}}, … | Export-Csv` (first line
 * `#TYPE Selected.Microsoft.ActiveDirectory.Management.ADUser`). User objects have no `managedBy` in
 * the default schema, so the owner is the `Manager` DN. Group memberships come from the flattened
 * `MemberOf`; an export with `-Properties *` and no `-join` has only a type name there, and then
 * no groups can be known.
 */
const MANAGED_ACCOUNT_COLUMNS = [
  'msDS-ManagedPasswordInterval',
  'msDS-GroupMSAMembership',
  'PrincipalsAllowedToRetrieveManagedPassword',
];

export const activeDirectorySvcUsersPreset: TablePreset = {
  id: 'active-directory-svc-users',
  label: 'Active Directory service users (Get-ADUser export)',
  sourceKind: 'active-directory',
  shape: 'table',

  detect(header) {
    if (!headerHas(header, 'SamAccountName', 'DistinguishedName')) return 0;
    if (MANAGED_ACCOUNT_COLUMNS.some((column) => headerHas(header, column))) return 0;
    const userColumns = [
      'UserPrincipalName',
      'Manager',
      'PasswordLastSet',
      'lastLogonTimestamp',
      'Enabled',
      'MemberOf',
    ];
    const present = userColumns.filter((column) => headerHas(header, column)).length;
    return present >= 2 ? Math.min(0.9, 0.6 + 0.05 * present) : 0;
  },

  createRowMapper(header) {
    return createAdRowMapper(header, { ownerColumns: ['Manager', 'managedBy'], managedPassword: false });
  },
};
