import {
  createColumnHelper,
  rowSortingFeature,
  tableFeatures,
  useTable,
  type SortingState,
  type Updater,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ArrowUpDown, UserRoundX } from 'lucide-react';
import { useEffect, useMemo, type RefObject } from 'react';
import type { QueueRow } from '../../../shared/api/schemas/review-queue';
import { RISK_SIGNALS } from '../../../shared/domain/risk';
import { Badge } from '../components/badge';
import { ageInDays, formatCount, formatDay } from '../format';
import { KIND_LABELS } from '../identity-labels';
import { ownerBadge } from '../inventory/inventory-columns';
import { DECISION_LABELS, SEVERITY_TONES } from './review-labels';

export const QUEUE_ROW_HEIGHT = 46;

/** The riskiest signal leads the row; the others are counted and named in the tooltip. */
const SEVERITY_ORDER = { high: 0, medium: 1, low: 2, info: 3 } as const;

interface Row {
  index: number;
  row: QueueRow | null;
}

interface Meta {
  asOf: string;
  selected: ReadonlySet<number>;
  allSelected: boolean;
  onToggle: (itemId: number) => void;
}

const features = tableFeatures({ rowSortingFeature });
const helper = createColumnHelper<typeof features, Row>();

function metaOf(table: { options: { meta?: unknown } }): Meta {
  return table.options.meta as Meta;
}

function Skeleton() {
  return <span className="skeleton skeleton-medium" aria-hidden="true" />;
}

const columns = helper.columns([
  helper.display({
    id: 'select',
    header: () => <span className="visually-hidden">Selected</span>,
    cell: ({ row, table }) => {
      const item = row.original.row;
      if (!item) return null;
      const meta = metaOf(table);
      const checked = meta.allSelected || meta.selected.has(item.itemId);
      return (
        <input
          type="checkbox"
          className="queue-check"
          checked={checked}
          tabIndex={-1}
          aria-label={`Select ${item.name}`}
          onClick={(event) => event.stopPropagation()}
          onChange={() => meta.onToggle(item.itemId)}
        />
      );
    },
  }),
  helper.accessor((r) => r.row?.name ?? '', {
    id: 'identity',
    header: 'Identity',
    cell: ({ row }) => {
      const item = row.original.row;
      if (!item) return <Skeleton />;
      return (
        <span className="queue-identity">
          <span className="queue-name" title={item.name}>
            {item.name}
          </span>
          <span className="queue-sub">
            {KIND_LABELS[item.kind as keyof typeof KIND_LABELS] ?? item.kind} · {item.source}
          </span>
          {item.selfReview && (
            <span className="queue-self" title="You are also an owner of this identity (self-review)">
              <UserRoundX aria-hidden="true" />
              <span className="visually-hidden">Self-review</span>
            </span>
          )}
        </span>
      );
    },
  }),
  helper.accessor((r) => r.row?.kind ?? '', {
    id: 'kind',
    header: 'Kind',
    cell: ({ row }) => {
      const item = row.original.row;
      if (!item) return <Skeleton />;
      return KIND_LABELS[item.kind as keyof typeof KIND_LABELS] ?? item.kind;
    },
  }),
  helper.accessor((r) => r.row?.source ?? '', {
    id: 'source',
    header: 'Source',
    cell: ({ row }) => {
      const item = row.original.row;
      return item ? <span title={item.source}>{item.source}</span> : <Skeleton />;
    },
  }),
  helper.accessor((r) => r.row?.owner ?? '', {
    id: 'owner',
    header: 'Owner',
    cell: ({ row }) => {
      const item = row.original.row;
      if (!item) return <Skeleton />;
      const badge = ownerBadge(item.ownerStatus);
      return (
        <span className="queue-owner">
          {item.owner && (
            <span className="queue-owner-email" title={item.owner}>
              {item.owner}
            </span>
          )}
          <Badge tone={badge.tone}>{badge.text}</Badge>
        </span>
      );
    },
  }),
  helper.accessor((r) => r.row?.lastUsedAt ?? '', {
    id: 'lastUsed',
    header: 'Last used',
    cell: ({ row }) => {
      const item = row.original.row;
      if (!item) return <Skeleton />;
      return item.lastUsedAt ? formatDay(item.lastUsedAt) : <span className="muted">Never</span>;
    },
  }),
  helper.accessor((r) => r.row?.oldestCredentialAt ?? '', {
    id: 'oldestCredential',
    header: 'Oldest key',
    cell: ({ row, table }) => {
      const item = row.original.row;
      if (!item) return <Skeleton />;
      if (!item.oldestCredentialAt) return <span className="muted">—</span>;
      const days = ageInDays(item.oldestCredentialAt, metaOf(table).asOf);
      return (
        <span title={`Last rotated or created ${formatDay(item.oldestCredentialAt)}`}>
          {formatCount(days)} d
        </span>
      );
    },
  }),
  helper.accessor((r) => r.row?.signals.length ?? 0, {
    id: 'risk',
    header: 'Signals',
    sortDescFirst: true,
    cell: ({ row }) => {
      const item = row.original.row;
      if (!item) return <Skeleton />;
      if (item.signals.length === 0) return <span className="muted">None</span>;
      return (
        <span
          className="queue-signals"
          title={item.signals.map((s) => `${RISK_SIGNALS[s.code].label}: ${s.reason}`).join('\n')}
        >
          {[...item.signals]
            .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity])
            .slice(0, 1)
            .map((signal) => (
              <span
                key={signal.code}
                className={`signal-chip signal-${SEVERITY_TONES[signal.severity]}`}
                title={`${RISK_SIGNALS[signal.code].label} (${signal.severity}): ${signal.reason}`}
              >
                {RISK_SIGNALS[signal.code].label}
              </span>
            ))}
          {item.signals.length > 1 && (
            <span className="signal-more" aria-label={`and ${item.signals.length - 1} more`}>
              +{item.signals.length - 1}
            </span>
          )}
        </span>
      );
    },
  }),
  helper.accessor((r) => r.row?.decision ?? '', {
    id: 'decision',
    header: 'Decision',
    cell: ({ row }) => {
      const item = row.original.row;
      if (!item) return <Skeleton />;
      const label = DECISION_LABELS[item.decision];
      return <Badge tone={label.tone}>{label.label}</Badge>;
    },
  }),
]);

const SORTABLE = new Set([
  'identity',
  'kind',
  'source',
  'owner',
  'lastUsed',
  'oldestCredential',
  'risk',
  'decision',
]);

export function rowDomId(index: number): string {
  return `review-row-${index}`;
}

/** The reviewer's queue: only the rows on screen exist in the DOM; their pages load as they scroll in. */
export function ReviewQueueTable({
  total,
  rowAt,
  showRows,
  sorting,
  onSortingChange,
  asOf,
  stale,
  activeIndex,
  onActivate,
  selected,
  allSelected,
  onToggle,
  resetKey,
  scrollRef,
  scrollToRef,
}: {
  total: number;
  rowAt: (index: number) => QueueRow | null;
  showRows: (first: number, last: number) => void;
  sorting: SortingState;
  onSortingChange: (updater: Updater<SortingState>) => void;
  asOf: string;
  stale: boolean;
  activeIndex: number | null;
  onActivate: (index: number) => void;
  selected: ReadonlySet<number>;
  allSelected: boolean;
  onToggle: (itemId: number) => void;
  resetKey: string;
  scrollRef: RefObject<HTMLDivElement | null>;
  /** Filled with a function that scrolls a row into view, for j / k. */
  scrollToRef: RefObject<((index: number) => void) | null>;
}) {
  // TanStack Virtual keeps its own mutable state; the React Compiler must not memoise around it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => QUEUE_ROW_HEIGHT,
    overscan: 8,
    onChange: (instance) => {
      const items = instance.getVirtualItems();
      const first = items[0];
      const last = items[items.length - 1];
      if (first && last) showRows(first.index, last.index);
    },
  });
  useEffect(() => {
    scrollToRef.current = (index: number) => virtualizer.scrollToIndex(index, { align: 'auto' });
  });
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey, scrollRef]);

  const items = virtualizer.getVirtualItems();
  const windowRows = useMemo<Row[]>(
    () => items.map((item) => ({ index: item.index, row: rowAt(item.index) })),
    [items, rowAt],
  );
  const meta: Meta = { asOf, selected, allSelected, onToggle };
  const table = useTable({
    features,
    columns,
    data: windowRows,
    getRowId: (row) => String(row.index),
    state: { sorting },
    onSortingChange,
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    meta,
  });
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const rows = table.getRowModel().rows;
  const activeRendered = activeIndex !== null && items.some((item) => item.index === activeIndex);

  return (
    <div
      className="queue-table"
      role="grid"
      aria-label="Review queue"
      aria-rowcount={total + 1}
      aria-busy={stale || undefined}
    >
      <div className="queue-row queue-head-row" role="row" aria-rowindex={1}>
        {headers.map((header) => {
          const sorted = header.column.getIsSorted();
          const SortIcon = sorted === 'asc' ? ArrowUp : sorted === 'desc' ? ArrowDown : ArrowUpDown;
          return (
            <div
              key={header.id}
              role="columnheader"
              className={`queue-cell queue-header-cell col-${header.column.id}`}
              aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
            >
              {SORTABLE.has(header.column.id) ? (
                <button
                  type="button"
                  className="sort-button"
                  data-sorted={sorted || undefined}
                  onClick={header.column.getToggleSortingHandler()}
                >
                  <table.FlexRender header={header} />
                  <SortIcon className="sort-icon" aria-hidden="true" />
                </button>
              ) : (
                <table.FlexRender header={header} />
              )}
            </div>
          );
        })}
      </div>
      <div
        ref={scrollRef}
        className="queue-scroll"
        role="rowgroup"
        tabIndex={0}
        aria-label="Queue rows"
        aria-activedescendant={activeRendered ? rowDomId(activeIndex) : undefined}
        onFocus={() => {
          if (activeIndex === null && total > 0) onActivate(0);
        }}
      >
        <div
          className="queue-rows"
          style={{ height: virtualizer.getTotalSize() }}
          data-stale={stale || undefined}
        >
          {rows.map((row, position) => {
            const item = items[position];
            if (!item) return null;
            const index = row.original.index;
            const data = row.original.row;
            return (
              <div
                key={row.id}
                id={rowDomId(index)}
                role="row"
                className="queue-row queue-body-row"
                aria-rowindex={index + 2}
                aria-selected={index === activeIndex}
                data-decided={data && data.decision !== 'pending' ? true : undefined}
                data-checked={data && (allSelected || selected.has(data.itemId)) ? true : undefined}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => onActivate(index)}
              >
                {row.getAllCells().map((cell) => (
                  <div key={cell.id} role="gridcell" className={`queue-cell col-${cell.column.id}`}>
                    <table.FlexRender cell={cell} />
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
