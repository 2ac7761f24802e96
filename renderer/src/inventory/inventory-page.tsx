import { useQuery } from '@tanstack/react-query';
import type { SortingState, Updater } from '@tanstack/react-table';
import { Boxes, FileInput, Search } from 'lucide-react';
import { useCallback, useDeferredValue, useEffect, useRef, useState, type ReactNode } from 'react';
import type { IdentityKind } from '../../../shared/domain/identity';
import { RISK_SIGNALS, type RiskSignalCode } from '../../../shared/domain/risk';
import { call, queryKeys } from '../bridge-client';
import { Button } from '../components/button';
import { EmptyState } from '../components/empty-state';
import { ErrorNotice } from '../components/error-notice';
import { SelectField } from '../components/select-field';
import { TextField } from '../components/text-field';
import { formatCount, plural, todayIsoDay } from '../format';
import type { PageId } from '../frame/navigation';
import { KIND_LABELS, OWNER_STATUS_LABELS, type OwnerStatusFilter } from '../identity-labels';
import { IdentityDetailPanel } from './identity-detail-panel';
import { InventoryTable } from './inventory-table';
import { SignalIndexProgress } from './signal-index-progress';
import { useIdentityPages, type InventoryQuery, type SortColumn } from './use-identity-pages';
import './inventory.css';

const SEARCH_DELAY_MS = 250;
const ALL = '';

interface Filters {
  search: string;
  source: string;
  kind: string;
  environment: string;
  ownerStatus: string;
  signal: string;
  asOf: string;
}

const NO_FILTERS: Omit<Filters, 'asOf'> = {
  search: '',
  source: ALL,
  kind: ALL,
  environment: ALL,
  ownerStatus: ALL,
  signal: ALL,
};

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

/** The search text the list follows: the typed text once typing pauses. */
function useDebounced(value: string, delay: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/** Every identity in the vault, filtered and sorted by the core, with one identity's details beside it. */
export function InventoryPage({ onNavigate }: { onNavigate: (page: PageId) => void }) {
  const facets = useQuery({
    queryKey: [...queryKeys.inventory, 'facets'],
    queryFn: () => call('identities.facets', {}),
  });

  if (facets.isError) {
    return (
      <div className="inventory">
        <InventoryHeader count={null} />
        <ErrorNotice error={facets.error} />
      </div>
    );
  }
  if (facets.isSuccess && facets.data.total === 0) {
    return (
      <>
        <InventoryHeader count={null} />
        <EmptyState icon={Boxes} title="No identities yet">
          Every service account, API key, IAM user and role, app registration, Kubernetes service account and
          deploy key you import will be listed here with its owner, credentials and history.
        </EmptyState>
        <div className="empty-state-action">
          <Button variant="primary" icon={FileInput} onClick={() => onNavigate('imports')}>
            Go to Imports
          </Button>
        </div>
      </>
    );
  }
  return <InventoryWorkspace facets={facets.data ?? null} />;
}

function InventoryHeader({
  count,
  filtered = false,
  children,
}: {
  count: number | null;
  filtered?: boolean;
  children?: ReactNode;
}) {
  return (
    <header className="inventory-header">
      <h1 className="page-title">Inventory</h1>
      {count !== null && (
        <p className="inventory-count" aria-live="polite">
          {plural(count, 'identity', 'identities')}
          {filtered && <span className="muted"> {count === 1 ? 'matches' : 'match'} the filters</span>}
        </p>
      )}
      {children && <div className="inventory-header-actions">{children}</div>}
    </header>
  );
}

type Facets = Awaited<ReturnType<typeof call<'identities.facets'>>>;

/**
 * Filter choices with how many identities each has. The chosen one goes without its count: the closed
 * select stays short, and the header already says how many match.
 */
function facetOptions<V extends string>(
  facets: Array<{ value: V; count: number }>,
  chosen: string,
  label: (value: V) => string,
): Array<{ value: string; label: string }> {
  return facets.map((facet) => ({
    value: facet.value,
    label:
      facet.value === chosen ? label(facet.value) : `${label(facet.value)} (${formatCount(facet.count)})`,
  }));
}

/**
 * The signal filter's choices, counted at the list's as-of date: the page's facets count today's, so
 * another date asks for its counts alone (the index the list is built on answers them). Until they
 * come, the choices go without counts rather than with another day's.
 */
function useSignalOptions(facets: Facets | null, asOf: string, chosen: string) {
  const otherDay = facets !== null && facets.signalsAsOf !== asOf;
  const atDate = useQuery({
    queryKey: [...queryKeys.inventory, 'signal-counts', asOf],
    queryFn: () => call('identities.signalCounts', { asOf }),
    enabled: otherDay,
  });
  const label = (code: RiskSignalCode) => RISK_SIGNALS[code].label;
  if (!otherDay) return facetOptions(facets?.signals ?? [], chosen, label);
  if (atDate.data) return facetOptions(atDate.data.signals, chosen, label);
  return (facets?.signals ?? []).map(({ value }) => ({ value, label: label(value) }));
}

function InventoryWorkspace({ facets }: { facets: Facets | null }) {
  const [filters, setFilters] = useState<Filters>(() => ({ ...NO_FILTERS, asOf: todayIsoDay() }));
  const [sorting, setSorting] = useState<SortingState>([{ id: 'name', desc: false }]);
  const [activeIndex, setActiveIndex] = useState<number | null>(null);
  const [panelOpen, setPanelOpen] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const search = useDebounced(filters.search.trim(), SEARCH_DELAY_MS);

  const sort = sorting[0] ?? { id: 'name', desc: false };
  const query: InventoryQuery = {
    asOf: filters.asOf || todayIsoDay(),
    sort: sort.id as SortColumn,
    direction: sort.desc ? 'desc' : 'asc',
    ...(filters.source ? { source: filters.source } : {}),
    ...(filters.kind ? { kind: filters.kind as IdentityKind } : {}),
    ...(filters.environment ? { environment: filters.environment } : {}),
    ...(filters.ownerStatus ? { ownerStatus: filters.ownerStatus as OwnerStatusFilter } : {}),
    ...(filters.signal ? { signal: filters.signal as RiskSignalCode } : {}),
    ...(search ? { search } : {}),
  };
  const signalOptions = useSignalOptions(facets, query.asOf, filters.signal);
  const queryId = JSON.stringify(query);
  // Typing must stay fluid on a million rows: the list follows the settled query a beat behind.
  const deferredQueryId = useDeferredValue(queryId);
  const pages = useIdentityPages(JSON.parse(deferredQueryId) as InventoryQuery);
  const [listedQuery, setListedQuery] = useState(deferredQueryId);
  if (listedQuery !== deferredQueryId) {
    // Another list: the row that was selected is somewhere else in it, or not in it at all.
    setListedQuery(deferredQueryId);
    setActiveIndex(null);
    setPanelOpen(false);
  }

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isEditable(event.target))
        return;
      event.preventDefault();
      searchRef.current?.focus();
      searchRef.current?.select();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  const onSortingChange = useCallback((updater: Updater<SortingState>) => {
    setSorting((previous) => (typeof updater === 'function' ? updater(previous) : updater));
  }, []);
  const update = (patch: Partial<Filters>) => setFilters((previous) => ({ ...previous, ...patch }));
  const filtered =
    filters.search.trim() !== '' ||
    filters.source !== ALL ||
    filters.kind !== ALL ||
    filters.environment !== ALL ||
    filters.ownerStatus !== ALL ||
    filters.signal !== ALL;

  const activeRecord = activeIndex === null ? null : pages.recordAt(activeIndex);
  const total = pages.total;

  return (
    <div className="inventory">
      <InventoryHeader count={total} filtered={filtered}>
        {filtered && (
          <Button
            variant="quiet"
            onClick={() => setFilters((previous) => ({ ...NO_FILTERS, asOf: previous.asOf }))}
          >
            Clear filters
          </Button>
        )}
      </InventoryHeader>
      <div className="inventory-filters" role="search" aria-label="Filter identities">
        <TextField
          ref={searchRef}
          compact
          className="filter-search"
          label="Search"
          type="search"
          value={filters.search}
          onChange={(value) => update({ search: value })}
          placeholder="Name or id"
          leading={<Search />}
          trailing={
            <kbd className="key-hint" title="Press / to search">
              /
            </kbd>
          }
          spellCheck={false}
          autoComplete="off"
        />
        <SelectField
          compact
          label="Source"
          value={filters.source}
          onChange={(value) => update({ source: value })}
          options={[
            { value: ALL, label: 'All' },
            ...facetOptions(facets?.sources ?? [], filters.source, (value) => value),
          ]}
        />
        <SelectField
          compact
          label="Kind"
          value={filters.kind}
          onChange={(value) => update({ kind: value })}
          options={[
            { value: ALL, label: 'All' },
            ...facetOptions(facets?.kinds ?? [], filters.kind, (value) => KIND_LABELS[value]),
          ]}
        />
        <SelectField
          compact
          label="Environment"
          value={filters.environment}
          onChange={(value) => update({ environment: value })}
          disabled={(facets?.environments.length ?? 0) === 0}
          options={[
            { value: ALL, label: (facets?.environments.length ?? 0) === 0 ? 'None stated' : 'All' },
            ...facetOptions(facets?.environments ?? [], filters.environment, (value) => value),
          ]}
        />
        <SelectField
          compact
          label="Owner"
          value={filters.ownerStatus}
          onChange={(value) => update({ ownerStatus: value })}
          options={[
            { value: ALL, label: 'Any' },
            ...(Object.keys(OWNER_STATUS_LABELS) as OwnerStatusFilter[]).map((status) => ({
              value: status,
              label: OWNER_STATUS_LABELS[status],
            })),
          ]}
        />
        <SelectField
          compact
          label="Signal"
          value={filters.signal}
          onChange={(value) => update({ signal: value })}
          options={[{ value: ALL, label: 'Any' }, ...signalOptions]}
        />
        <TextField
          compact
          className="filter-asof"
          label="As of"
          type="date"
          value={filters.asOf}
          onChange={(value) => update({ asOf: value })}
          max="9999-12-31"
        />
      </div>
      {pages.error !== null && <ErrorNotice error={pages.error} />}
      <SignalIndexProgress waiting={total === null || pages.loadingPages} />
      <div className="inventory-body">
        {total === 0 ? (
          <div className="inventory-no-match">
            <p className="empty-state-title">No identity matches these filters</p>
            <p className="muted">Try fewer filters, or another search.</p>
          </div>
        ) : (
          <InventoryTable
            total={total ?? 0}
            recordAt={pages.recordAt}
            showRows={pages.showRows}
            sorting={sorting}
            onSortingChange={onSortingChange}
            asOf={query.asOf}
            signal={query.signal}
            stale={pages.stale}
            activeIndex={activeIndex}
            onActivate={setActiveIndex}
            onOpen={(index) => {
              setActiveIndex(index);
              setPanelOpen(true);
            }}
            onClose={() => setPanelOpen(false)}
            resetKey={deferredQueryId}
            listRef={listRef}
          />
        )}
        {panelOpen && activeIndex !== null && (
          <IdentityDetailPanel
            identity={activeRecord}
            asOf={query.asOf}
            onClose={() => {
              setPanelOpen(false);
              // The panel's own button goes away with it: the list takes the focus back.
              listRef.current?.focus();
            }}
          />
        )}
      </div>
    </div>
  );
}
