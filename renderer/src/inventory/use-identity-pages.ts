import {
  keepPreviousData,
  useQueries,
  useQuery,
  useQueryClient,
  type QueryClient,
} from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { IdentityRecord } from '../../../shared/api/schemas/inventory';
import type { IdentityKind } from '../../../shared/domain/identity';
import { call, queryKeys } from '../bridge-client';
import type { OwnerStatusFilter } from '../identity-labels';
import type { RiskSignalCode } from '../../../shared/domain/risk';

/** Rows fetched per call: a screenful several times over, small enough to answer at once. */
export const PAGE_SIZE = 200;
/** Pages kept once nothing shows them; the rest are dropped, oldest first, so memory stays flat. */
const CACHED_PAGES = 40;
/** How long the range must hold still before pages are fetched: a fling through the list fetches nothing. */
const SETTLE_MS = 90;

export type SortColumn = 'name' | 'kind' | 'source' | 'lastUsedAt';

export interface InventoryQuery {
  asOf: string;
  source?: string;
  kind?: IdentityKind;
  environment?: string;
  search?: string;
  ownerStatus?: OwnerStatusFilter;
  signal?: RiskSignalCode;
  sort: SortColumn;
  direction: 'asc' | 'desc';
}

type Page = Awaited<ReturnType<typeof call<'identities.list'>>>;

const LIST_KEY = [...queryKeys.inventory, 'list'] as const;

function pageKey(query: InventoryQuery, page: number) {
  return [...LIST_KEY, query, page] as const;
}

/** Drops the least recently fetched pages that no component shows any more. */
function prunePages(queryClient: QueryClient): void {
  const idle = queryClient
    .getQueryCache()
    .findAll({ queryKey: LIST_KEY })
    .filter((query) => query.getObserversCount() === 0)
    .sort((a, b) => a.state.dataUpdatedAt - b.state.dataUpdatedAt);
  for (const query of idle.slice(0, Math.max(0, idle.length - CACHED_PAGES))) {
    queryClient.getQueryCache().remove(query);
  }
}

function pagesOf(range: { first: number; last: number }): number[] {
  const first = Math.floor(range.first / PAGE_SIZE);
  const last = Math.floor(range.last / PAGE_SIZE);
  const pages: number[] = [];
  for (let page = first; page <= last; page += 1) pages.push(page);
  return pages;
}

/**
 * The identities of one query, fetched in pages of 200 as the table scrolls to them. The first page
 * gives the total and stays on screen while a changed filter is read, so the table does not jump.
 */
export function useIdentityPages(query: InventoryQuery) {
  const queryClient = useQueryClient();
  const queryId = JSON.stringify(query);
  const [wanted, setWanted] = useState<{ queryId: string; pages: number[] }>({ queryId, pages: [0] });
  const settleTimer = useRef<number | undefined>(undefined);

  const fetchPage = useCallback(
    async (page: number): Promise<Page> => {
      const result = await call('identities.list', { ...query, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
      prunePages(queryClient);
      return result;
    },
    [query, queryClient],
  );

  const first = useQuery({
    queryKey: pageKey(query, 0),
    queryFn: () => fetchPage(0),
    placeholderData: keepPreviousData,
  });
  // A new query starts at the top: the pages wanted for the old one mean nothing for it.
  const pagesWanted = wanted.queryId === queryId ? wanted.pages.filter((page) => page !== 0) : [];
  const others = useQueries({
    queries: pagesWanted.map((page) => ({
      queryKey: pageKey(query, page),
      queryFn: () => fetchPage(page),
      staleTime: 30_000,
    })),
  });

  useEffect(() => () => window.clearTimeout(settleTimer.current), []);

  /** Tells the hook which rows are on screen; their pages are fetched once scrolling settles. */
  const showRows = useCallback(
    (firstRow: number, lastRow: number) => {
      const pages = pagesOf({ first: firstRow, last: Math.max(firstRow, lastRow) });
      window.clearTimeout(settleTimer.current);
      settleTimer.current = window.setTimeout(() => {
        setWanted((previous) =>
          previous.queryId === queryId && previous.pages.join() === pages.join()
            ? previous
            : { queryId, pages },
        );
      }, SETTLE_MS);
    },
    [queryId],
  );

  /** The identity at a row of the list, or null while its page is being read. */
  const recordAt = (index: number): IdentityRecord | null => {
    const page = Math.floor(index / PAGE_SIZE);
    const data =
      page === 0 ? first.data : (queryClient.getQueryData<Page>(pageKey(query, page)) ?? undefined);
    return data?.items[index - page * PAGE_SIZE] ?? null;
  };

  return {
    total: first.data?.total ?? null,
    /** True while the rows shown belong to the previous filters. */
    stale: first.isPlaceholderData,
    error: first.error ?? others.find((result) => result.error)?.error ?? null,
    loadingPages: others.some((result) => result.isFetching) || first.isFetching,
    recordAt,
    showRows,
  };
}
