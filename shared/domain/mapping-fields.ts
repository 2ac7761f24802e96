/** The fields a spreadsheet column can be mapped to when no vendor preset recognises the file. */
export const MAPPING_FIELDS = [
  'externalId',
  'name',
  'kind',
  'environment',
  'businessOwner',
  'technicalOwner',
  'lastUsedAt',
  'credentialLastRotatedAt',
  'privileged',
  'description',
  'status',
  'createdAt',
] as const;
export type MappingField = (typeof MAPPING_FIELDS)[number];

/** What each field means, in the words the mapping screen and `--mapping` help use. */
export const MAPPING_FIELD_LABELS: Record<MappingField, string> = {
  externalId: 'Id (stable, unique in the source)',
  name: 'Account name',
  kind: 'Type',
  environment: 'Environment',
  businessOwner: 'Business owner',
  technicalOwner: 'Technical owner',
  lastUsedAt: 'Last used',
  credentialLastRotatedAt: 'Credential last rotated',
  privileged: 'Privileged (yes/no)',
  description: 'Description or purpose',
  status: 'Status (enabled/disabled)',
  createdAt: 'Created',
};
