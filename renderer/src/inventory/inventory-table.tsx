import { useTable, type SortingState, type Updater } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import type { IdentityRecord } from '../../../shared/api/schemas/inventory';
import {
  inventoryColumns,
  inventoryFeatures,
  SORTABLE_COLUMNS,
  type InventoryRow,
  type InventoryTableMeta,
} from './inventory-columns';
import type { RiskSignalCode } from '../../../shared/domain/risk';

/** Fixed, so a million rows are a known height (32 px each stays under Chromium's tallest box). */
export const ROW_HEIGHT = 32;
const OVERSCAN = 8;
/** Below this width the Environment column folds into the Source column. */
const COMPACT_BELOW = 1120;

/** Whether the element is narrower than `width`, kept current as the window resizes. */
function useNarrowerThan(ref: RefObject<HTMLElement | null>, width: number): boolean {
  const [narrow, setNarrow] = useState(false);
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setNarrow(entry.contentRect.width < width);
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, width]);
  return narrow;
}

interface InventoryTableProps {
  total: number;
  recordAt: (index: number) => IdentityRecord | null;
  showRows: (first: number, last: number) => void;
  sorting: SortingState;
  onSortingChange: (updater: Updater<SortingState>) => void;
  asOf: string;
  signal?: RiskSignalCode | undefined;
  /** Rows from the previous filters are still on screen while the new ones are read. */
  stale: boolean;
  activeIndex: number | null;
  onActivate: (index: number) => void;
  onOpen: (index: number) => void;
  onClose: () => void;
  /** Changes whenever the list itself changes (filters, sort, as-of): the view goes back to the top. */
  resetKey: string;
  /** The focusable, scrolling list of rows, for the page to give focus back to. */
  listRef: RefObject<HTMLDivElement | null>;
}

function rowDomId(index: number): string {
  return `inventory-row-${index}`;
}

/**
 * Every identity of the query in one scrolling list. Only the rows on screen (plus a few) exist in the
 * DOM; their pages are fetched as they come into view. Arrow keys move the selection, Enter opens it.
 */
export function InventoryTable({
  total,
  recordAt,
  showRows,
  sorting,
  onSortingChange,
  asOf,
  signal,
  stale,
  activeIndex,
  onActivate,
  onOpen,
  onClose,
  resetKey,
  listRef: scrollRef,
}: InventoryTableProps) {
  const rootRef = useRef<HTMLDivElement>(null);
  const compact = useNarrowerThan(rootRef, COMPACT_BELOW);
  // TanStack Virtual keeps its own mutable state; the React Compiler must not memoise around it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
    onChange: (instance) => {
      const items = instance.getVirtualItems();
      const first = items[0];
      const last = items[items.length - 1];
      if (first && last) showRows(first.index, last.index);
    },
  });
  const items = virtualizer.getVirtualItems();

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey, scrollRef]);

  // The table model is built over the rows on screen only: a million row objects would be the slow part.
  const windowRows = useMemo<InventoryRow[]>(
    () => items.map((item) => ({ index: item.index, record: recordAt(item.index) })),
    [items, recordAt],
  );
  const meta: InventoryTableMeta = { asOf, compact, signal };
  const table = useTable({
    features: inventoryFeatures,
    columns: inventoryColumns,
    data: windowRows,
    getRowId: (row) => String(row.index),
    // Visibility follows the width of the window, not a user setting: nothing to store on change.
    state: { sorting, columnVisibility: { environment: !compact } },
    onColumnVisibilityChange: () => undefined,
    onSortingChange,
    manualSorting: true,
    enableSortingRemoval: false,
    enableMultiSort: false,
    meta,
  });

  const move = (index: number) => {
    const next = Math.max(0, Math.min(total - 1, index));
    onActivate(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (total === 0) return;
    const current = activeIndex ?? -1;
    const pageRows = Math.max(
      1,
      Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT) / ROW_HEIGHT) - 1,
    );
    switch (event.key) {
      case 'ArrowDown':
        move(current + 1);
        break;
      case 'ArrowUp':
        move(current <= 0 ? 0 : current - 1);
        break;
      case 'PageDown':
        move(current + pageRows);
        break;
      case 'PageUp':
        move(current - pageRows);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(total - 1);
        break;
      case 'Enter':
      case ' ':
        if (activeIndex === null) move(0);
        else onOpen(activeIndex);
        break;
      case 'Escape':
        onClose();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  const rows = table.getRowModel().rows;
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  const activeRendered = activeIndex !== null && items.some((item) => item.index === activeIndex);

  return (
    <div
      ref={rootRef}
      className="inventory-table"
      data-compact={compact || undefined}
      role="grid"
      aria-label="Identities"
      aria-rowcount={total + 1}
      aria-colcount={headers.length}
      aria-busy={stale || undefined}
    >
      <div className="inventory-head" role="rowgroup">
        <div className="inventory-row inventory-head-row" role="row" aria-rowindex={1}>
          {headers.map((header) => {
            const sortable = SORTABLE_COLUMNS.has(header.column.id);
            const sorted = header.column.getIsSorted();
            const SortIcon = sorted === 'asc' ? ArrowUp : sorted === 'desc' ? ArrowDown : ArrowUpDown;
            return (
              <div
                key={header.id}
                role="columnheader"
                className={`inventory-cell inventory-header-cell col-${header.column.id}`}
                aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
              >
                {sortable ? (
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
      </div>
      <div
        ref={scrollRef}
        className="inventory-scroll"
        role="rowgroup"
        tabIndex={0}
        aria-label="Identity rows"
        aria-activedescendant={activeRendered ? rowDomId(activeIndex) : undefined}
        onKeyDown={onKeyDown}
        onFocus={() => {
          if (activeIndex === null && total > 0) onActivate(0);
        }}
      >
        <div
          className="inventory-rows"
          style={{ height: virtualizer.getTotalSize() }}
          data-stale={stale || undefined}
        >
          {rows.map((row, position) => {
            const item = items[position];
            if (!item) return null;
            const index = row.original.index;
            const active = index === activeIndex;
            return (
              <div
                key={row.id}
                id={rowDomId(index)}
                role="row"
                className="inventory-row inventory-body-row"
                aria-rowindex={index + 2}
                aria-selected={active}
                data-index={index}
                data-loaded={row.original.record ? true : undefined}
                style={{ transform: `translateY(${item.start}px)` }}
                onClick={() => {
                  onActivate(index);
                  onOpen(index);
                }}
              >
                {row.getVisibleCells().map((cell) => (
                  <div key={cell.id} role="gridcell" className={`inventory-cell col-${cell.column.id}`}>
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
