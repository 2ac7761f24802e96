import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

/** The 15 columns of a generic inventory export, as a CMDB or a hand-kept register writes them. */
export const BENCH_HEADER = [
  'Record ID',
  'Account Name',
  'Type',
  'System',
  'Environment',
  'Business Owner',
  'Technical Owner',
  'Last Login',
  'Password Last Set',
  'Privileged (Y/N)',
  'Purpose',
  'Notes',
  'Department',
  'Cost Center',
  'Created',
];

const TYPES = [
  'Service Account',
  'API Key',
  'IAM User',
  'SSH Key',
  'App Registration',
  'Kubernetes SA',
  'Bot',
];
const SYSTEMS = [
  'AWS prod',
  'Entra ID',
  'Active Directory',
  'GitHub',
  'SAP',
  'Kubernetes nwl-prod-eks',
  'Okta',
];
const ENVIRONMENTS = ['production', 'staging', 'development', 'test'];

/** A deterministic pseudo-random sequence, so every bench run reads the same bytes. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function isoDay(random: () => number): string {
  const day = new Date(Date.UTC(2019, 0, 1) + Math.floor(random() * 2500) * 86_400_000);
  return day.toISOString().slice(0, 10);
}

export function inventoryRow(index: number, random: () => number): string[] {
  const owner = `owner${Math.floor(random() * 2000)}@northwindlogistics.example`;
  return [
    `NHI-${String(index).padStart(7, '0')}`,
    `svc-${(index * 2654435761) % 1_000_003}-${index}`,
    TYPES[index % TYPES.length]!,
    SYSTEMS[index % SYSTEMS.length]!,
    ENVIRONMENTS[index % ENVIRONMENTS.length]!,
    owner,
    `tech${Math.floor(random() * 500)}@northwindlogistics.example`,
    isoDay(random),
    isoDay(random),
    random() < 0.1 ? 'Y' : 'N',
    'Nightly batch transfer of shipment manifests to the carrier portal',
    index % 17 === 0 ? 'Rotation overdue, ticket CHG-20931' : '',
    'Logistics IT',
    `CC-${1000 + (index % 300)}`,
    isoDay(random),
  ];
}

function csvLine(cells: string[]): string {
  return cells.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',') + '\n';
}

/** Writes `rows` inventory rows to `path`, streaming. */
export async function writeInventoryCsv(path: string, rows: number): Promise<void> {
  const random = lcg(42);
  const out = createWriteStream(path);
  out.write(csvLine(BENCH_HEADER));
  let buffer = '';
  for (let i = 1; i <= rows; i += 1) {
    buffer += csvLine(inventoryRow(i, random));
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

export { lcg };
