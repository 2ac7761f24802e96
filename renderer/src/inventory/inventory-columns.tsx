import {
  columnVisibilityFeature,
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
} from '@tanstack/react-table';
import type { IdentityRecord } from '../../../shared/api/schemas/inventory';
import { Badge, type BadgeTone } from '../components/badge';
import { SignalBadges } from '../components/signal-badges';
import type { RiskSignalCode } from '../../../shared/domain/risk';

/** The owner column shows these already. */
const OWNER_SIGNALS: readonly RiskSignalCode[] = ['no-owner', 'owner-terminated', 'owner-not-in-roster'];
import { ageInDays, formatAge, formatCount, formatDay, formatDayTime } from '../format';
import { KIND_LABELS } from '../identity-labels';

/** One line of the virtual list: its position, and its identity once the page holding it is read. */
export interface InventoryRow {
  index: number;
  record: IdentityRecord | null;
}

export interface InventoryTableMeta {
  asOf: string;
  /** Too narrow for an Environment column: the environment goes beside the source instead. */
  compact: boolean;
  /** The signal the list is filtered by, shown first in each row. */
  signal?: RiskSignalCode | undefined;
}

export const inventoryFeatures = tableFeatures({ columnVisibilityFeature, rowSortingFeature });

function metaOf(table: { options: { meta?: unknown } }): InventoryTableMeta {
  return (table.options.meta as InventoryTableMeta | undefined) ?? { asOf: '', compact: false };
}

const helper = createColumnHelper<typeof inventoryFeatures, InventoryRow>();

type Owner = IdentityRecord['owners'][number];

export function ownerBadge(status: Owner['status'] | 'none'): { tone: BadgeTone; text: string } {
  switch (status) {
    case 'active':
      return { tone: 'success', text: 'Active' };
    case 'terminated':
      return { tone: 'danger', text: 'Terminated' };
    case 'not-in-roster':
      return { tone: 'warning', text: 'Not in roster' };
    case 'none':
      return { tone: 'neutral', text: 'No owner' };
  }
}

/** The owner to show in one cell: a terminated owner first, since that is what a reviewer must see. */
function leadOwner(owners: Owner[]): Owner | null {
  return owners.find((owner) => owner.status === 'terminated') ?? owners[0] ?? null;
}

/** How old the oldest credential is: days since it was last rotated, or created when never rotated. */
export function oldestCredentialAge(record: IdentityRecord, asOf: string): number | null {
  let oldest: number | null = null;
  for (const credential of record.credentials) {
    const since = credential.lastRotatedAt ?? credential.createdAt;
    if (!since) continue;
    const age = ageInDays(since, asOf);
    if (oldest === null || age > oldest) oldest = age;
  }
  return oldest;
}

function Skeleton({ width }: { width: 'short' | 'medium' | 'long' }) {
  return <span className={`skeleton skeleton-${width}`} aria-hidden="true" />;
}

/** The columns of the inventory. Sorting is done by the core; the table only holds which column and which way. */
export const inventoryColumns = helper.columns([
  helper.accessor((row) => row.record?.name ?? '', {
    id: 'name',
    header: 'Name',
    cell: ({ row }) => {
      const record = row.original.record;
      if (!record) return <Skeleton width="long" />;
      return (
        <span className="cell-name" title={record.externalId === record.name ? undefined : record.externalId}>
          {record.name}
        </span>
      );
    },
  }),
  helper.accessor((row) => row.record?.kind ?? '', {
    id: 'kind',
    header: 'Kind',
    cell: ({ row }) =>
      row.original.record ? KIND_LABELS[row.original.record.kind] : <Skeleton width="short" />,
  }),
  helper.accessor((row) => row.record?.source ?? '', {
    id: 'source',
    header: 'Source',
    cell: ({ row, table }) => {
      const record = row.original.record;
      if (!record) return <Skeleton width="medium" />;
      const environment = metaOf(table).compact ? record.environment : null;
      return (
        <span title={environment ? `${record.source}, ${environment}` : record.source}>
          <span className="cell-source">{record.source}</span>
          {environment && <span className="muted"> · {environment}</span>}
        </span>
      );
    },
  }),
  helper.display({
    id: 'environment',
    header: 'Environment',
    cell: ({ row }) => {
      const record = row.original.record;
      if (!record) return <Skeleton width="short" />;
      return record.environment ? (
        <span title={record.environment}>{record.environment}</span>
      ) : (
        <span className="muted">—</span>
      );
    },
  }),
  helper.display({
    id: 'owner',
    header: 'Owner',
    cell: ({ row }) => {
      const record = row.original.record;
      if (!record) return <Skeleton width="long" />;
      const owner = leadOwner(record.owners);
      const badge = ownerBadge(owner?.status ?? 'none');
      const others = record.owners.length - 1;
      return (
        <span className="cell-owner">
          {owner && (
            <span
              className="cell-owner-email"
              title={record.owners.map((o) => `${o.email} (${o.role})`).join('\n')}
            >
              {owner.email}
              {others > 0 && <span className="muted"> +{others}</span>}
            </span>
          )}
          <Badge tone={badge.tone}>{badge.text}</Badge>
        </span>
      );
    },
  }),
  helper.accessor((row) => row.record?.lastUsedAt ?? '', {
    id: 'lastUsedAt',
    header: 'Last used',
    cell: ({ row }) => {
      const record = row.original.record;
      if (!record) return <Skeleton width="short" />;
      return record.lastUsedAt ? (
        <span title={formatDayTime(record.lastUsedAt)}>{formatDay(record.lastUsedAt)}</span>
      ) : (
        <span className="muted">—</span>
      );
    },
  }),
  helper.display({
    id: 'credentials',
    header: 'Credentials',
    cell: ({ row, table }) => {
      const record = row.original.record;
      if (!record) return <Skeleton width="short" />;
      if (record.credentials.length === 0) return <span className="muted">—</span>;
      const { asOf } = metaOf(table);
      const age = asOf ? oldestCredentialAge(record, asOf) : null;
      return (
        <span
          className="cell-credentials"
          title={age === null ? undefined : `The oldest was last rotated (or created) ${formatAge(age)} ago`}
        >
          {record.credentials.length}
          {age !== null && (
            <span className="muted">
              {' · '}
              {formatCount(age)}
              <span aria-hidden="true"> d</span>
              <span className="visually-hidden"> days old</span>
            </span>
          )}
        </span>
      );
    },
  }),
  helper.display({
    id: 'signals',
    header: 'Signals',
    cell: ({ row, table }) => {
      const record = row.original.record;
      if (!record) return <Skeleton width="short" />;
      return (
        <SignalBadges signals={record.signals} max={1} first={metaOf(table).signal} hide={OWNER_SIGNALS} />
      );
    },
  }),
  helper.display({
    id: 'status',
    header: 'Status',
    cell: ({ row }) => {
      const record = row.original.record;
      if (!record) return null;
      if (record.notSeenSince) {
        return (
          <span title={`Not seen since the import of ${formatDayTime(record.notSeenSince)}`}>
            <Badge tone="warning">
              Not seen<span className="visually-hidden"> since {formatDay(record.notSeenSince)}</span>
            </Badge>
          </span>
        );
      }
      if (record.status === 'disabled') return <Badge>Disabled</Badge>;
      if (record.status === 'unknown') return <span className="muted">Unknown</span>;
      // Active is the usual case: the column stays quiet so the exceptions stand out.
      return <span className="visually-hidden">Active</span>;
    },
  }),
]);

/** Columns the core can sort by. */
export const SORTABLE_COLUMNS = new Set(['name', 'kind', 'source', 'lastUsedAt']);
