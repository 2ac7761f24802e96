import { keepPreviousData, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../../shared/api/contract';
import type { QueueRow } from '../../../shared/api/schemas/review-queue';
import { call, queryKeys } from '../bridge-client';

/** Rows per call: several screenfuls, small enough to answer at once. */
export const QUEUE_PAGE_SIZE = 200;
const SETTLE_MS = 80;

export type QueueQuery = Omit<MethodInput<'review.queue'>, 'offset' | 'limit'>;
type Page = MethodOutput<'review.queue'>;

/** Everything the review workspace reads; invalidated after each decision together with the campaigns. */
export const REVIEW_KEY = [...queryKeys.campaigns, 'review'] as const;

function pageKey(query: QueueQuery, page: number) {
  return [...REVIEW_KEY, 'queue', query, page] as const;
}

/**
 * The rows of one queue, fetched in pages of 200 as the table scrolls to them (the inventory's
 * approach). The first page gives the totals and stays on screen while new filters are read.
 */
export function useQueuePages(query: QueueQuery) {
  const queryClient = useQueryClient();
  const queryId = JSON.stringify(query);
  const [wanted, setWanted] = useState<{ queryId: string; pages: number[] }>({ queryId, pages: [0] });
  const settleTimer = useRef<number | undefined>(undefined);

  const fetchPage = useCallback(
    (page: number) =>
      call('review.queue', { ...query, offset: page * QUEUE_PAGE_SIZE, limit: QUEUE_PAGE_SIZE }),
    [query],
  );
  const first = useQuery({
    queryKey: pageKey(query, 0),
    queryFn: () => fetchPage(0),
    placeholderData: keepPreviousData,
  });
  const pagesWanted = wanted.queryId === queryId ? wanted.pages.filter((page) => page !== 0) : [];
  const others = useQueries({
    queries: pagesWanted.map((page) => ({ queryKey: pageKey(query, page), queryFn: () => fetchPage(page) })),
  });
  useEffect(() => () => window.clearTimeout(settleTimer.current), []);

  const showRows = useCallback(
    (firstRow: number, lastRow: number) => {
      const pages: number[] = [];
      for (let p = Math.floor(firstRow / QUEUE_PAGE_SIZE); p <= Math.floor(lastRow / QUEUE_PAGE_SIZE); p += 1)
        pages.push(p);
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

  const rowAt = (index: number): QueueRow | null => {
    const page = Math.floor(index / QUEUE_PAGE_SIZE);
    const data = page === 0 ? first.data : queryClient.getQueryData<Page>(pageKey(query, page));
    return data?.rows[index - page * QUEUE_PAGE_SIZE] ?? null;
  };

  return {
    total: first.data?.total ?? null,
    decided: first.data?.decided ?? null,
    stale: first.isPlaceholderData,
    loading: first.isPending,
    error: first.error ?? others.find((result) => result.error)?.error ?? null,
    rowAt,
    showRows,
  };
}
