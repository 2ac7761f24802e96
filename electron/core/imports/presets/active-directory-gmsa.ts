import type { TablePreset } from '../preset-types';
import { createAdRowMapper, headerHas } from './active-directory-common';

/**
 * Group and standalone managed service accounts from Windows PowerShell:
 * `Get-ADServiceAccount -Filter * -Properties * | Export-Csv` (first line
 * `#TYPE Microsoft.ActiveDirectory.Management.ADServiceAccount`, which the CSV reader skips).
 * The owner is `managedBy` (a DN); AD generates and rotates the password itself.
 */
const MANAGED_ACCOUNT_COLUMNS = [
  'msDS-ManagedPasswordInterval',
  'msDS-GroupMSAMembership',
  'PrincipalsAllowedToRetrieveManagedPassword',
  'ManagedPasswordIntervalInDays',
  'msDS-ManagedPasswordId',
  'HostComputers',
];

export const activeDirectoryGmsaPreset: TablePreset = {
  id: 'active-directory-gmsa',
  label: 'Active Directory managed service accounts (Get-ADServiceAccount export)',
  sourceKind: 'active-directory',
  shape: 'table',

  detect(header) {
    if (!headerHas(header, 'SamAccountName', 'DistinguishedName')) return 0;
    const markers = MANAGED_ACCOUNT_COLUMNS.filter((column) => headerHas(header, column)).length;
    if (markers === 0) return 0;
    return Math.min(0.95, 0.8 + 0.05 * markers);
  },

  createRowMapper(header) {
    return createAdRowMapper(header, { ownerColumns: ['managedBy', 'ManagedBy'], managedPassword: true });
  },
};
