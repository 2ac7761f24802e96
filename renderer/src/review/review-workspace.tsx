import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SortingState, Updater } from '@tanstack/react-table';
import { BadgeCheck, Keyboard, ListChecks, Save, Search, Trash2, Undo2 } from 'lucide-react';
import { useCallback, useDeferredValue, useEffect, useRef, useState } from 'react';
import type { z } from 'zod';
import type { campaignSchema } from '../../../shared/api/schemas/campaigns';
import type { QueueFilters, QueueSort } from '../../../shared/api/schemas/review-queue';
import {
  RISK_SIGNAL_CODES,
  RISK_SIGNALS,
  type RiskSeverity,
  type RiskSignalCode,
} from '../../../shared/domain/risk';
import { call, queryKeys } from '../bridge-client';
import { Button } from '../components/button';
import { EmptyState } from '../components/empty-state';
import { describeError, ErrorNotice } from '../components/error-notice';
import { SelectField } from '../components/select-field';
import { TextField } from '../components/text-field';
import { formatCount, formatDayTime, plural } from '../format';
import {
  justificationNeed,
  ReviewDetailPanel,
  type DecisionDraft,
  type SaveState,
} from './review-detail-panel';
import { BulkDialog, SaveViewDialog, ShortcutsDialog, SignOffDialog } from './review-dialogs';
import { ReviewQueueTable } from './review-queue-table';
import { REVIEW_KEY, useQueuePages, type QueueQuery } from './use-queue-pages';
import './review.css';

export type CampaignView = z.output<typeof campaignSchema>;

/** "Reviewing as", remembered per campaign for as long as the app runs. */
const rememberedReviewer = new Map<number, string>();

const ALL = '';

function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName);
}

function useDebounced(value: string, delay: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/** The reviewer's queue for one campaign: table, detail panel, keyboard decisions, bulk, sign-off. */
export function ReviewWorkspace({ campaign }: { campaign: CampaignView }) {
  const status = useQuery({
    queryKey: [...queryKeys.campaigns, 'status', campaign.id],
    queryFn: () => call('campaigns.status', { campaignId: campaign.id }),
  });
  const reviewers = status.data?.byReviewer ?? [];
  const [chosen, setChosen] = useState<string | null>(() => rememberedReviewer.get(campaign.id) ?? null);
  const reviewer =
    chosen && reviewers.some((r) => r.reviewer === chosen)
      ? chosen
      : (reviewers.find((r) => r.reviewer === campaign.owner)?.reviewer ?? reviewers[0]?.reviewer ?? null);

  if (status.isError) return <ErrorNotice error={status.error} />;
  if (status.isPending) return <p className="review-loading muted">Loading the campaign’s reviewers…</p>;
  if (campaign.state === 'draft' || reviewers.length === 0 || reviewer === null) {
    return (
      <EmptyState icon={ListChecks} title="Nothing to review yet">
        {campaign.state === 'draft'
          ? 'This campaign has not been launched. Once it is, each reviewer finds their items here.'
          : 'No item of this campaign is assigned to a reviewer.'}
      </EmptyState>
    );
  }
  return (
    <ReviewQueue
      key={`${campaign.id}-${reviewer}`}
      campaign={campaign}
      reviewer={reviewer}
      reviewers={reviewers}
      campaignProgress={{ total: status.data.total, decided: status.data.decided }}
      onReviewerChange={(email) => {
        rememberedReviewer.set(campaign.id, email);
        setChosen(email);
      }}
    />
  );
}

type Reviewer = { reviewer: string; total: number; decided: number; signedOffAt: string | null };

const SORT_IDS: Record<string, QueueSort> = {
  identity: 'identity',
  kind: 'kind',
  source: 'source',
  owner: 'owner',
  lastUsed: 'lastUsed',
  oldestCredential: 'oldestCredential',
  risk: 'risk',
  decision: 'decision',
};

function ReviewQueue({
  campaign,
  reviewer,
  reviewers,
  campaignProgress,
  onReviewerChange,
}: {
  campaign: CampaignView;
  reviewer: string;
  reviewers: Reviewer[];
  campaignProgress: { total: number; decided: number };
  onReviewerChange: (email: string) => void;
}) {
  const queryClient = useQueryClient();
  const me = reviewers.find((r) => r.reviewer === reviewer)!;
  const [search, setSearch] = useState('');
  const [filters, setFilters] = useState<QueueFilters>({});
  const [viewId, setViewId] = useState(ALL);
  const [sorting, setSorting] = useState<SortingState>([{ id: 'identity', desc: false }]);
  const [activeIndex, setActiveIndex] = useState<number | null>(0);
  const [draft, setDraft] = useState<DecisionDraft | null>(null);
  const [saveState, setSaveState] = useState<SaveState>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [allSelected, setAllSelected] = useState(false);
  const [bulk, setBulk] = useState<'certify' | 'revoke' | null>(null);
  const [dialog, setDialog] = useState<'shortcuts' | 'signoff' | 'save-view' | null>(null);
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const scrollToRef = useRef<((index: number) => void) | null>(null);
  const justificationRef = useRef<HTMLTextAreaElement>(null);
  const pickerRef = useRef<HTMLInputElement>(null);
  const settledSearch = useDebounced(search.trim(), 200);

  const sort = sorting[0] ?? { id: 'identity', desc: false };
  const query: QueueQuery = {
    campaignId: campaign.id,
    reviewer,
    sort: SORT_IDS[sort.id] ?? 'identity',
    direction: sort.desc ? 'desc' : 'asc',
    ...filters,
    ...(settledSearch ? { search: settledSearch } : {}),
  };
  const queryId = useDeferredValue(JSON.stringify(query));
  const listed = JSON.parse(queryId) as QueueQuery;
  const pages = useQueuePages(listed);
  const [listedId, setListedId] = useState(queryId);
  if (listedId !== queryId) {
    setListedId(queryId);
    setActiveIndex(0);
    setSelected(new Set());
    setAllSelected(false);
    setDraft(null);
  }
  const total = pages.total ?? 0;
  const activeRow = activeIndex === null ? null : pages.rowAt(activeIndex);
  const signedOff = me.signedOffAt;
  const readOnly =
    campaign.state === 'closed'
      ? 'This campaign is closed: its decisions are final.'
      : signedOff
        ? `${reviewer} signed off on ${formatDayTime(signedOff)}; these decisions are final.`
        : null;

  const views = useQuery({
    queryKey: [...REVIEW_KEY, 'views'],
    queryFn: () => call('review.listViews', {}),
  });
  const me_ = useQuery({
    queryKey: [...REVIEW_KEY, 'person', reviewer],
    queryFn: () => call('people.search', { query: reviewer, limit: 1 }),
  });
  const reviewerName = me_.data?.[0]?.name ?? reviewer;

  const refresh = useCallback(
    () => queryClient.invalidateQueries({ queryKey: queryKeys.campaigns }),
    [queryClient],
  );

  const move = (delta: number) => {
    if (total === 0) return;
    const next = Math.max(0, Math.min(total - 1, (activeIndex ?? -1) + delta));
    setActiveIndex(next);
    setDraft(null);
    scrollToRef.current?.(next);
  };

  const record = useMutation({
    mutationFn: (d: DecisionDraft) =>
      call('decisions.record', {
        campaignId: campaign.id,
        itemId: d.itemId,
        decision: d.decision,
        actor: reviewer,
        ...(d.decision === 'revoke' ? { target: d.target } : {}),
        ...(d.decision === 'reassign' && d.newOwner ? { newOwner: d.newOwner.email } : {}),
        ...(d.justification.trim() ? { justification: d.justification.trim() } : {}),
      }),
    onMutate: (d) => setSaveState({ itemId: d.itemId, state: 'saving' }),
    onSuccess: async (item, d) => {
      setSaveState({ itemId: d.itemId, state: 'saved' });
      setDraft(null);
      setNotice(
        `Saved: ${item.name} ${d.decision === 'certify' ? 'certified' : d.decision === 'revoke' ? 'to be revoked' : `reassigned to ${item.newOwner}`}.`,
      );
      await refresh();
      scrollRef.current?.focus({ preventScroll: true });
      // In an undecided-only list the decided row leaves and the next one takes its place.
      if (filters.decision !== 'pending' && !filters.overdueOnly) move(1);
      else setDraft(null);
    },
    onError: (error, d) =>
      setSaveState({ itemId: d.itemId, state: 'error', message: describeError(error).message }),
  });

  const undo = useMutation({
    mutationFn: () => call('review.undo', { campaignId: campaign.id, actor: reviewer }),
    onSuccess: async (result) => {
      setDraft(null);
      setNotice(
        `Undone: ${result.undone} on ${result.item.name}; it is ${result.item.decision === 'pending' ? 'undecided' : result.item.decision} again.`,
      );
      await refresh();
      // Bring the item back under the cursor when it is among the rows read so far.
      for (let index = 0; index < Math.min(total, 2000); index += 1) {
        if (pages.rowAt(index)?.itemId === result.item.id) {
          setActiveIndex(index);
          setSaveState({ itemId: result.item.id, state: 'saved' });
          scrollToRef.current?.(index);
          break;
        }
      }
    },
    onError: (error) => setNotice(describeError(error).message),
  });

  const start = (decision: DecisionDraft['decision'], item: { id: number; highRisk: boolean }) => {
    if (readOnly) return;
    const why = justificationNeed(item, decision) ?? '';
    const next: DecisionDraft = {
      itemId: item.id,
      decision,
      target: { type: 'identity', ref: null },
      newOwner: null,
      justification: '',
      why,
    };
    if (decision === 'certify' && !why) {
      record.mutate(next);
      return;
    }
    setDraft(next);
    window.setTimeout(() => {
      if (decision === 'reassign') pickerRef.current?.focus();
      else justificationRef.current?.focus();
    }, 0);
  };

  const confirm = () => {
    if (!draft) return;
    if (draft.why && !draft.justification.trim()) {
      setSaveState({ itemId: draft.itemId, state: 'error', message: draft.why });
      justificationRef.current?.focus();
      return;
    }
    if (draft.decision === 'reassign' && !draft.newOwner) {
      pickerRef.current?.focus();
      return;
    }
    record.mutate(draft);
  };
  const cancel = () => {
    setDraft(null);
    scrollRef.current?.focus({ preventScroll: true });
  };

  const toggle = (itemId: number) => {
    setAllSelected(false);
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(itemId)) next.delete(itemId);
      else next.add(itemId);
      return next;
    });
  };

  const allDecided = me.total > 0 && me.decided === me.total;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (document.querySelector('dialog[open], [role="dialog"]')) return;
      if (isEditable(event.target)) {
        if (event.key === 'Escape' && event.target === searchRef.current) {
          scrollRef.current?.focus({ preventScroll: true });
          event.preventDefault();
        }
        return;
      }
      const item = activeRow ? { id: activeRow.itemId, highRisk: activeRow.highRisk } : null;
      switch (event.key) {
        case 'j':
        case 'ArrowDown':
          move(1);
          break;
        case 'k':
        case 'ArrowUp':
          move(-1);
          break;
        case 'c':
          if (item) start('certify', item);
          break;
        case 'r':
          if (item) start('revoke', item);
          break;
        case 'a':
          if (item) start('reassign', item);
          break;
        case 'u':
          if (!readOnly) undo.mutate();
          break;
        case 'x':
          if (activeRow) toggle(activeRow.itemId);
          break;
        case '/':
          searchRef.current?.focus();
          searchRef.current?.select();
          break;
        case '?':
          setDialog('shortcuts');
          break;
        case 's':
          if (allDecided && !readOnly) setDialog('signoff');
          break;
        case 'Escape':
          if (draft) cancel();
          else return;
          break;
        default:
          return;
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  });

  const selection = useQuery({
    queryKey: [...REVIEW_KEY, 'selection', queryId, allSelected, [...selected].join()],
    enabled: bulk !== null,
    queryFn: async () => {
      if (allSelected) {
        const { sort: _s, direction: _d, ...rest } = listed;
        return call('review.queueIds', rest);
      }
      const ids = [...selected];
      const counts = new Map<RiskSignalCode, number>();
      const severities = new Map<RiskSignalCode, RiskSeverity>();
      let highRisk = 0;
      for (let index = 0; index < total; index += 1) {
        const row = pages.rowAt(index);
        if (!row || !selected.has(row.itemId)) continue;
        if (row.highRisk) highRisk += 1;
        for (const s of row.signals) {
          counts.set(s.code, (counts.get(s.code) ?? 0) + 1);
          severities.set(s.code, s.severity);
        }
      }
      return {
        itemIds: ids,
        signals: RISK_SIGNAL_CODES.filter((c) => counts.has(c)).map((code) => ({
          code,
          count: counts.get(code)!,
          severity: severities.get(code)!,
        })),
        highRisk,
      };
    },
  });
  const bulkDecide = useMutation({
    mutationFn: ({ decision, justification }: { decision: 'certify' | 'revoke'; justification: string }) =>
      call('review.bulkDecide', {
        campaignId: campaign.id,
        itemIds: selection.data?.itemIds ?? [],
        decision,
        actor: reviewer,
        ...(justification ? { justification } : {}),
      }),
    onSuccess: async (result) => {
      setBulk(null);
      setSelected(new Set());
      setAllSelected(false);
      const skipped = result.skipped.map((s) => `${formatCount(s.count)} skipped: ${s.reason}`).join(' ');
      setNotice(`Decided ${plural(result.decided, 'item', 'items')}.${skipped ? ` ${skipped}` : ''}`);
      await refresh();
    },
    onError: (error) => setNotice(describeError(error).message),
  });
  const signOff = useMutation({
    mutationFn: () => call('campaigns.signOff', { campaignId: campaign.id, actor: reviewer }),
    onSuccess: async () => {
      setDialog(null);
      setNotice('Signed off. Your sign-off is in the decision log.');
      await refresh();
    },
    onError: (error) => setNotice(describeError(error).message),
  });
  const saveView = useMutation({
    mutationFn: (name: string) =>
      call('review.saveView', {
        name,
        filters: { ...filters, ...(settledSearch ? { search: settledSearch } : {}) },
      }),
    onSuccess: async (view) => {
      setDialog(null);
      await queryClient.invalidateQueries({ queryKey: [...REVIEW_KEY, 'views'] });
      setViewId(view.id);
    },
    onError: (error) => setNotice(describeError(error).message),
  });
  const removeView = useMutation({
    mutationFn: (id: string) => call('review.removeView', { id }),
    onSuccess: async () => {
      setViewId(ALL);
      await queryClient.invalidateQueries({ queryKey: [...REVIEW_KEY, 'views'] });
    },
  });

  const applyView = (id: string) => {
    setViewId(id);
    const view = views.data?.find((v) => v.id === id);
    const next = view?.filters ?? {};
    setFilters({ ...next, search: undefined });
    setSearch(next.search ?? '');
  };
  const update = (patch: Partial<QueueFilters>) => {
    setViewId(ALL);
    setFilters((previous) => ({ ...previous, ...patch }));
  };
  const onSortingChange = useCallback((updater: Updater<SortingState>) => {
    setSorting((previous) => (typeof updater === 'function' ? updater(previous) : updater));
  }, []);
  const filtered = Object.values(filters).some((v) => v !== undefined && v !== false) || settledSearch !== '';
  const selectedCount = allSelected ? total : selected.size;
  const myPercent = me.total === 0 ? 0 : Math.round((me.decided / me.total) * 100);
  const campaignPercent =
    campaignProgress.total === 0 ? 0 : Math.round((campaignProgress.decided / campaignProgress.total) * 100);
  const userView = views.data?.find((v) => v.id === viewId && !v.builtIn);

  return (
    <div className="review">
      <div className="review-top">
        <SelectField
          compact
          className="review-reviewer"
          label="Reviewing as"
          value={reviewer}
          onChange={onReviewerChange}
          options={reviewers.map((r) => ({
            value: r.reviewer,
            label: `${r.reviewer} (${r.decided}/${r.total}${r.signedOffAt ? ', signed off' : ''})`,
          }))}
        />
        <div className="review-progress" aria-live="polite">
          <p className="review-progress-text">
            <strong>
              {formatCount(me.decided)} of {formatCount(me.total)}
            </strong>{' '}
            decided <span className="muted">· campaign {campaignPercent}%</span>
          </p>
          <div
            className="review-progress-bar"
            role="progressbar"
            aria-label="Your progress"
            aria-valuemin={0}
            aria-valuemax={me.total}
            aria-valuenow={me.decided}
          >
            <span style={{ width: `${myPercent}%` }} />
          </div>
        </div>
        <div className="review-top-actions">
          <Button
            variant="quiet"
            icon={Undo2}
            disabled={Boolean(readOnly) || undo.isPending}
            onClick={() => undo.mutate()}
          >
            Undo <kbd className="key-hint">u</kbd>
          </Button>
          <Button
            variant="quiet"
            icon={Keyboard}
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts"
            onClick={() => setDialog('shortcuts')}
          >
            <kbd className="key-hint">?</kbd>
          </Button>
          {signedOff ? (
            <span className="review-signed">
              <BadgeCheck aria-hidden="true" /> Signed off {formatDayTime(signedOff)}
            </span>
          ) : (
            <Button
              variant={allDecided ? 'primary' : 'secondary'}
              icon={BadgeCheck}
              disabled={!allDecided || campaign.state !== 'open'}
              title={
                allDecided ? undefined : `Decide all ${me.total} items first (${me.total - me.decided} left)`
              }
              onClick={() => setDialog('signoff')}
            >
              Sign off
            </Button>
          )}
        </div>
      </div>
      {allDecided && !signedOff && campaign.state === 'open' && (
        <div className="notice notice-success review-ready" role="status">
          <BadgeCheck className="notice-icon" aria-hidden="true" />
          <p>
            All {formatCount(me.total)} of your items are decided. Press <kbd className="key-hint">s</kbd> or
            “Sign off” to attest your review.
          </p>
        </div>
      )}

      <div className="review-filters" role="search" aria-label="Filter the queue">
        <TextField
          ref={searchRef}
          compact
          className="review-search"
          label="Search"
          type="search"
          value={search}
          onChange={(value) => {
            setViewId(ALL);
            setSearch(value);
          }}
          placeholder="Name, id or owner"
          leading={<Search />}
          trailing={<kbd className="key-hint">/</kbd>}
          spellCheck={false}
          autoComplete="off"
        />
        <SelectField
          compact
          label="View"
          value={viewId}
          onChange={applyView}
          options={[
            { value: ALL, label: filtered ? 'Custom filters' : 'All my items' },
            ...(views.data ?? []).map((v) => ({ value: v.id, label: v.name })),
          ]}
        />
        <SelectField
          compact
          label="Decision"
          value={filters.decision ?? ALL}
          onChange={(value) => update({ decision: (value || undefined) as QueueFilters['decision'] })}
          options={[
            { value: ALL, label: 'Any' },
            { value: 'pending', label: 'Undecided' },
            { value: 'decided', label: 'Decided' },
            { value: 'certify', label: 'Certified' },
            { value: 'revoke', label: 'Revoke' },
            { value: 'reassign', label: 'Reassign' },
          ]}
        />
        <SelectField
          compact
          label="Signal"
          value={filters.signals?.[0] ?? ALL}
          onChange={(value) => update({ signals: value ? [value as RiskSignalCode] : undefined })}
          options={[
            { value: ALL, label: 'Any' },
            ...RISK_SIGNAL_CODES.map((code) => ({ value: code, label: RISK_SIGNALS[code].label })),
          ]}
        />
        <label className="review-toggle">
          <input
            type="checkbox"
            checked={filters.highRiskOnly ?? false}
            onChange={(event) => update({ highRiskOnly: event.target.checked || undefined })}
          />
          High risk only
        </label>
        <div className="review-filter-actions">
          {filtered && viewId === ALL && (
            <Button variant="quiet" icon={Save} onClick={() => setDialog('save-view')}>
              Save view
            </Button>
          )}
          {userView && (
            <Button variant="quiet" icon={Trash2} onClick={() => removeView.mutate(userView.id)}>
              Delete view
            </Button>
          )}
          {filtered && (
            <Button
              variant="quiet"
              onClick={() => {
                setFilters({});
                setSearch('');
                setViewId(ALL);
              }}
            >
              Clear
            </Button>
          )}
        </div>
      </div>

      {(selectedCount > 0 || total > 0) && !readOnly && (
        <div className="review-bulk" aria-label="Selection">
          <span>
            {selectedCount > 0 ? (
              <strong>{plural(selectedCount, 'item', 'items')} selected</strong>
            ) : (
              <span className="muted">
                {plural(total, 'item', 'items')} {filtered ? 'match' : 'in your queue'}
                {pages.decided !== null ? ` · ${formatCount(pages.decided)} decided` : ''}
              </span>
            )}
          </span>
          {!allSelected && total > 0 && (
            <Button variant="quiet" onClick={() => setAllSelected(true)}>
              Select all {formatCount(total)} matching
            </Button>
          )}
          {selectedCount > 0 && (
            <>
              <Button variant="quiet" onClick={() => (setSelected(new Set()), setAllSelected(false))}>
                Clear selection
              </Button>
              <Button onClick={() => setBulk('certify')}>Certify selected…</Button>
              <Button onClick={() => setBulk('revoke')}>Revoke selected…</Button>
            </>
          )}
        </div>
      )}
      {notice && (
        <p className="review-notice" role="status">
          {notice}
        </p>
      )}
      {pages.error !== null && <ErrorNotice error={pages.error} />}

      <div className="review-body">
        <div className="review-list">
          {pages.loading ? (
            <p className="review-empty muted">Loading your queue…</p>
          ) : total === 0 ? (
            <div className="review-empty">
              <p className="empty-state-title">
                {filtered ? 'No item matches these filters' : 'Your queue is empty'}
              </p>
              <p className="muted">
                {filtered
                  ? viewId === 'builtin:mine-overdue'
                    ? campaign.due
                      ? `Nothing is overdue: the campaign is due ${campaign.due}.`
                      : 'This campaign has no due date.'
                    : 'Try fewer filters, or another search.'
                  : 'No item of this campaign is assigned to you.'}
              </p>
            </div>
          ) : (
            <ReviewQueueTable
              total={total}
              rowAt={pages.rowAt}
              showRows={pages.showRows}
              sorting={sorting}
              onSortingChange={onSortingChange}
              asOf={campaign.asOf}
              stale={pages.stale}
              activeIndex={activeIndex}
              onActivate={(index) => {
                setActiveIndex(index);
                setDraft(null);
              }}
              selected={selected}
              allSelected={allSelected}
              onToggle={toggle}
              resetKey={queryId}
              scrollRef={scrollRef}
              scrollToRef={scrollToRef}
            />
          )}
        </div>
        {activeRow && (
          <ReviewDetailPanel
            campaignId={campaign.id}
            itemId={activeRow.itemId}
            asOf={campaign.asOf}
            readOnly={readOnly}
            draft={draft}
            onDraftChange={setDraft}
            onStart={start}
            onConfirm={confirm}
            onCancel={cancel}
            saveState={saveState}
            justificationRef={justificationRef}
            pickerRef={pickerRef}
          />
        )}
      </div>

      <ShortcutsDialog
        open={dialog === 'shortcuts'}
        onOpenChange={(open) => setDialog(open ? 'shortcuts' : null)}
      />
      <SignOffDialog
        open={dialog === 'signoff'}
        onOpenChange={(open) => setDialog(open ? 'signoff' : null)}
        name={reviewerName}
        email={reviewer}
        count={me.total}
        campaignName={campaign.name}
        asOf={campaign.asOf}
        busy={signOff.isPending}
        onConfirm={() => signOff.mutate()}
      />
      <SaveViewDialog
        open={dialog === 'save-view'}
        onOpenChange={(open) => setDialog(open ? 'save-view' : null)}
        busy={saveView.isPending}
        onSave={(name) => saveView.mutate(name)}
      />
      {bulk && (
        <BulkDialog
          open
          onOpenChange={(open) => {
            if (!open) setBulk(null);
          }}
          decision={bulk}
          summary={selection.data ?? null}
          busy={bulkDecide.isPending}
          onConfirm={(justification) => bulkDecide.mutate({ decision: bulk, justification })}
        />
      )}
    </div>
  );
}
