import { useQuery } from '@tanstack/react-query';
import { call, queryKeys } from '../bridge-client';

/** Presets the core records on a snapshot that `imports.formats` does not offer as a choice. */
const OTHER_PRESETS: Record<string, string> = {
  'column-mapping': 'Inventory table, your column mapping',
  'hr-roster': 'HR roster',
};

/** Where each format comes from, for the one-line list of what Steward accepts. */
const FORMAT_ORIGINS: Record<string, string> = {
  'aws-credential-report': 'AWS',
  'entra-service-principals': 'Entra ID',
  'kubernetes-service-accounts': 'Kubernetes',
  'github-org': 'GitHub',
  'gcp-service-accounts': 'Google Cloud',
  okta: 'Okta',
  'active-directory-gmsa': 'Active Directory',
  'active-directory-svc-users': 'Active Directory',
};

export function useImportFormats() {
  return useQuery({
    queryKey: queryKeys.importFormats,
    queryFn: () => call('imports.formats', {}),
    staleTime: Infinity,
  });
}

/** A preset id in words: the core's own label when it has one. */
export function useFormatLabel(): (presetId: string) => string {
  const formats = useImportFormats();
  return (presetId) =>
    formats.data?.find((format) => format.id === presetId)?.label ?? OTHER_PRESETS[presetId] ?? presetId;
}

/** "AWS, Microsoft Entra ID, … or any inventory spreadsheet": the origins, each once, in the core's order. */
export function acceptedOrigins(formats: Array<{ id: string; label: string }>): string[] {
  const origins: string[] = [];
  for (const format of formats) {
    if (format.id === 'cmdb-generic') continue;
    const origin = FORMAT_ORIGINS[format.id] ?? format.label;
    if (!origins.includes(origin)) origins.push(origin);
  }
  return origins;
}
