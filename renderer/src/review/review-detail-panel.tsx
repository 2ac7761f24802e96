import { useQuery } from '@tanstack/react-query';
import {
  Check,
  CircleAlert,
  CircleCheck,
  History,
  RotateCcw,
  ShieldAlert,
  UserRoundCog,
  UserRoundX,
  X,
} from 'lucide-react';
import { useEffect, useRef, type RefObject } from 'react';
import type { MethodOutput } from '../../../shared/api/contract';
import type { RevokeTarget } from '../../../shared/domain/campaign';
import { RISK_SIGNALS } from '../../../shared/domain/risk';
import { call } from '../bridge-client';
import { Badge } from '../components/badge';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { ageInDays, formatCount, formatDay, formatDayTime } from '../format';
import { KIND_LABELS } from '../identity-labels';
import { ownerBadge } from '../inventory/inventory-columns';
import { ReassignPicker } from './reassign-picker';
import { DECISION_LABELS, SEVERITY_TONES } from './review-labels';
import { REVIEW_KEY } from './use-queue-pages';

type Detail = MethodOutput<'review.item'>;
type Item = Detail['item'];

/** A decision being prepared: it waits for a justification, a target or a new owner. */
export interface DecisionDraft {
  itemId: number;
  decision: 'certify' | 'revoke' | 'reassign';
  target: { type: RevokeTarget; ref: string | null };
  newOwner: { email: string; name: string | null } | null;
  justification: string;
  /** Why a justification is needed, said before the reviewer has to guess. */
  why: string;
}

/** Whether a decision on `item` needs a justification, and the sentence that says why. */
export function justificationNeed(
  item: { highRisk: boolean },
  decision: DecisionDraft['decision'],
): string | null {
  if (decision === 'revoke') return 'Revoking needs a justification: say why the access should go.';
  if (decision === 'reassign')
    return 'Reassigning needs a justification: say why the new owner should hold it.';
  if (item.highRisk) return 'Certifying an item with a high-risk signal needs a justification.';
  return null;
}

export type SaveState = { itemId: number; state: 'saving' | 'saved' | 'error'; message?: string } | null;

function Section({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section className="detail-section">
      <h3 className="detail-section-title">{title}</h3>
      {children}
    </section>
  );
}

/** Everything needed to decide one item, and the decision controls. */
export function ReviewDetailPanel({
  campaignId,
  itemId,
  asOf,
  readOnly,
  draft,
  onDraftChange,
  onStart,
  onConfirm,
  onCancel,
  saveState,
  justificationRef,
  pickerRef,
}: {
  campaignId: number;
  itemId: number;
  asOf: string;
  /** Signed off, closed, or another reviewer's item: nothing can be decided. */
  readOnly: string | null;
  draft: DecisionDraft | null;
  onDraftChange: (draft: DecisionDraft) => void;
  onStart: (decision: DecisionDraft['decision'], item: Item) => void;
  onConfirm: () => void;
  onCancel: () => void;
  saveState: SaveState;
  justificationRef: RefObject<HTMLTextAreaElement | null>;
  pickerRef: RefObject<HTMLInputElement | null>;
}) {
  const detail = useQuery({
    queryKey: [...REVIEW_KEY, 'item', campaignId, itemId],
    queryFn: () => call('review.item', { campaignId, itemId }),
    placeholderData: (previous) => previous,
  });
  const bodyRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    bodyRef.current?.scrollTo({ top: 0 });
  }, [itemId]);

  if (detail.isError)
    return (
      <aside className="review-panel">
        <ErrorNotice error={detail.error} />
      </aside>
    );
  if (!detail.data) {
    return (
      <aside className="review-panel review-panel-loading" aria-busy="true">
        <p className="muted">Loading the identity…</p>
      </aside>
    );
  }
  const { item, history, previous, changes } = detail.data;
  const identity = item.identity;
  const decision = DECISION_LABELS[item.decision];
  const activeDraft = draft && draft.itemId === item.id ? draft : null;
  const saving = saveState?.itemId === item.id ? saveState : null;
  const terminated = identity.owners.find((o) => o.status === 'terminated');

  return (
    <aside
      className="review-panel"
      aria-label={`Details of ${item.name}`}
      data-stale={detail.isPlaceholderData || undefined}
    >
      <header className="review-panel-header">
        <div className="review-panel-title-row">
          <h2 className="review-panel-title">{item.name}</h2>
          <Badge tone={decision.tone}>{decision.label}</Badge>
        </div>
        <p className="review-panel-meta">
          {KIND_LABELS[identity.kind]} · {item.source}
          {identity.environment ? ` · ${identity.environment}` : ''} · {identity.status}
        </p>
        {identity.externalId !== item.name && <p className="review-panel-id">{identity.externalId}</p>}
      </header>

      <div ref={bodyRef} className="review-panel-body">
        {item.selfReview && (
          <div className="notice notice-warning review-self" role="note">
            <UserRoundX className="notice-icon" aria-hidden="true" />
            <p>
              <strong>Self-review.</strong> You are also an owner of this identity. Decide it as an
              independent reviewer would, or reassign it.
            </p>
          </div>
        )}

        <section className="decide" aria-label="Decision">
          {readOnly ? (
            <p className="decide-readonly">{readOnly}</p>
          ) : (
            <div className="decide-buttons">
              <Button
                variant={activeDraft?.decision === 'certify' ? 'primary' : 'secondary'}
                icon={CircleCheck}
                onClick={() => onStart('certify', item)}
              >
                Certify
              </Button>
              <Button
                variant={activeDraft?.decision === 'revoke' ? 'primary' : 'secondary'}
                icon={X}
                onClick={() => onStart('revoke', item)}
              >
                Revoke
              </Button>
              <Button
                variant={activeDraft?.decision === 'reassign' ? 'primary' : 'secondary'}
                icon={UserRoundCog}
                onClick={() => onStart('reassign', item)}
              >
                Reassign
              </Button>
            </div>
          )}
          {!readOnly && !activeDraft && (
            <p className="decide-keys">
              Keys: <kbd className="key-hint">c</kbd> certify · <kbd className="key-hint">r</kbd> revoke ·{' '}
              <kbd className="key-hint">a</kbd> reassign · <kbd className="key-hint">u</kbd> undo
            </p>
          )}
          {activeDraft && (
            <DecisionForm
              item={item}
              draft={activeDraft}
              onChange={onDraftChange}
              onConfirm={onConfirm}
              onCancel={onCancel}
              justificationRef={justificationRef}
              pickerRef={pickerRef}
              suggestion={item.routing.rule === 'manager-of-leaver' ? item.reviewer : null}
              busy={saving?.state === 'saving'}
            />
          )}
          <p className="decide-status" role="status" aria-live="polite">
            {saving?.state === 'saving' && 'Saving…'}
            {saving?.state === 'saved' && (
              <span className="decide-saved">
                <Check aria-hidden="true" /> Saved
              </span>
            )}
            {saving?.state === 'error' && (
              <span className="decide-error">
                <CircleAlert aria-hidden="true" /> {saving.message}
              </span>
            )}
          </p>
          {item.decision !== 'pending' && !activeDraft && (
            <p className="decide-current">
              {decision.label}
              {item.target && item.target.type !== 'identity'
                ? ` ${item.target.type} ${item.target.ref}`
                : ''}
              {item.newOwner ? ` to ${item.newOwner}` : ''} by {item.decidedBy} on{' '}
              {item.decidedAt ? formatDayTime(item.decidedAt) : ''}
              {item.justification ? `: “${item.justification}”` : ''}
            </p>
          )}
        </section>

        <Section title={`Signals (${item.signals.length})`}>
          {item.signals.length === 0 ? (
            <p className="muted">No risk signal at {formatDay(asOf)}.</p>
          ) : (
            <ul className="detail-signals">
              {item.signals.map((signal) => {
                const definition = RISK_SIGNALS[signal.code];
                return (
                  <li key={signal.code} className="detail-signal">
                    <span className="detail-signal-head">
                      <span className={`signal-chip signal-${SEVERITY_TONES[signal.severity]}`}>
                        {definition.label}
                      </span>
                      <span className="muted">{signal.severity}</span>
                      {definition.owasp && <code className="owasp-code">OWASP {definition.owasp}</code>}
                    </span>
                    <span className="detail-signal-reason">{signal.reason}</span>
                  </li>
                );
              })}
            </ul>
          )}
        </Section>

        <Section title="Why you review it">
          <p>{item.routing.reason}</p>
        </Section>

        <Section title={`Owners (${identity.owners.length})`}>
          {identity.owners.length === 0 ? (
            <p className="muted">No owner is recorded.</p>
          ) : (
            <ul className="detail-list">
              {identity.owners.map((owner) => {
                const badge = ownerBadge(owner.status);
                return (
                  <li key={`${owner.role}-${owner.email}`} className="detail-list-row">
                    <span className="detail-primary">{owner.email}</span>
                    <span className="muted">{owner.role}</span>
                    <Badge tone={badge.tone}>{badge.text}</Badge>
                  </li>
                );
              })}
            </ul>
          )}
          {terminated && (
            <p className="detail-hint">{terminated.email} has left: reassign to a successor or revoke.</p>
          )}
        </Section>

        <Section title={`Credentials (${identity.credentials.length})`}>
          {identity.credentials.length === 0 ? (
            <p className="muted">No credential.</p>
          ) : (
            <ul className="detail-list">
              {identity.credentials.map((credential, index) => {
                const since = credential.lastRotatedAt ?? credential.createdAt;
                const expired = credential.expiresAt !== null && credential.expiresAt.slice(0, 10) < asOf;
                return (
                  <li key={credential.externalId ?? index} className="detail-list-row detail-credential">
                    <span className="detail-primary">
                      {credential.type} {credential.externalId ?? `#${index + 1}`}
                    </span>
                    <span>
                      {since ? `${formatCount(ageInDays(since, asOf))} days old` : 'age unknown'}
                      {credential.lastRotatedAt ? ' (since rotation)' : ''}
                    </span>
                    <span
                      className={expired ? 'detail-danger' : credential.expiresAt ? '' : 'detail-warning'}
                    >
                      {credential.expiresAt
                        ? `${expired ? 'Expired' : 'Expires'} ${formatDay(credential.expiresAt)}`
                        : 'Never expires'}
                    </span>
                    <span className="muted">
                      {credential.status}
                      {credential.lastUsedAt
                        ? ` · used ${formatDay(credential.lastUsedAt)}`
                        : ' · never used'}
                    </span>
                  </li>
                );
              })}
            </ul>
          )}
        </Section>

        <Section title={`Entitlements (${identity.entitlements.length})`}>
          {identity.entitlements.length === 0 ? (
            <p className="muted">No entitlement.</p>
          ) : (
            <ul className="detail-list">
              {identity.entitlements.map((entitlement) => (
                <li key={entitlement.name} className="detail-list-row">
                  <span className="detail-primary">{entitlement.name}</span>
                  {entitlement.resource && <span className="muted">{entitlement.resource}</span>}
                  {entitlement.privileged ? (
                    <Badge tone="danger">
                      <ShieldAlert className="badge-icon" aria-hidden="true" /> Privileged
                    </Badge>
                  ) : (
                    <span className="muted">Standard</span>
                  )}
                </li>
              ))}
            </ul>
          )}
        </Section>

        <Section title="Since the last campaign">
          {previous === null ? (
            <p className="muted">First reviewed in this campaign: no earlier campaign included it.</p>
          ) : (
            <>
              <p>
                In <strong>{previous.campaignName}</strong> (as of {formatDay(previous.asOf)}):{' '}
                {DECISION_LABELS[previous.decision].label.toLowerCase()}
                {previous.decidedBy ? ` by ${previous.decidedBy}` : ''}
                {previous.justification ? `, “${previous.justification}”` : ''}.
              </p>
              {changes.length === 0 ? (
                <p className="muted">Nothing changed.</p>
              ) : (
                <ul className="detail-changes">
                  {changes.map((change, index) => (
                    <li key={index}>{change.summary}</li>
                  ))}
                </ul>
              )}
            </>
          )}
        </Section>

        <Section title="History across snapshots">
          {history.length === 0 ? (
            <p className="muted">No snapshot history.</p>
          ) : (
            <ol className="detail-history">
              {history.map((entry) => (
                <li key={`${entry.snapshotId}-${entry.change}`}>
                  <History className="detail-history-icon" aria-hidden="true" />
                  <span>{formatDay(entry.importedAt)}</span>
                  <span>
                    {entry.change === 'added'
                      ? 'First seen'
                      : entry.change === 'not-seen'
                        ? 'No longer listed'
                        : entry.change === 'seen-again'
                          ? 'Listed again'
                          : `Changed: ${entry.aspects.join(', ')}`}
                  </span>
                </li>
              ))}
            </ol>
          )}
        </Section>
      </div>
    </aside>
  );
}

function DecisionForm({
  item,
  draft,
  onChange,
  onConfirm,
  onCancel,
  justificationRef,
  pickerRef,
  suggestion,
  busy,
}: {
  item: Item;
  draft: DecisionDraft;
  onChange: (draft: DecisionDraft) => void;
  onConfirm: () => void;
  onCancel: () => void;
  justificationRef: RefObject<HTMLTextAreaElement | null>;
  pickerRef: RefObject<HTMLInputElement | null>;
  suggestion: string | null;
  busy: boolean;
}) {
  const verb = draft.decision === 'certify' ? 'Certify' : draft.decision === 'revoke' ? 'Revoke' : 'Reassign';
  const targets: Array<{ value: string; label: string }> = [
    { value: 'identity|', label: 'The whole identity' },
    ...item.identity.credentials.map((c, i) => ({
      value: `credential|${c.externalId ?? String(i + 1)}`,
      label: `Credential: ${c.type} ${c.externalId ?? `#${i + 1}`}`,
    })),
    ...item.identity.entitlements.map((e) => ({
      value: `entitlement|${e.name}`,
      label: `Entitlement: ${e.name}`,
    })),
  ];
  const missing = draft.decision === 'reassign' && !draft.newOwner ? 'Pick the new owner first.' : null;
  return (
    <form
      className="decide-form"
      onSubmit={(event) => {
        event.preventDefault();
        onConfirm();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          onCancel();
        }
      }}
    >
      {draft.decision === 'revoke' && (
        <div className="field field-compact">
          <label className="field-label" htmlFor="revoke-target">
            What to revoke
          </label>
          <select
            id="revoke-target"
            className="select-input"
            value={`${draft.target.type}|${draft.target.ref ?? ''}`}
            onChange={(event) => {
              const [type, ...ref] = event.target.value.split('|');
              onChange({ ...draft, target: { type: type as RevokeTarget, ref: ref.join('|') || null } });
            }}
          >
            {targets.map((t) => (
              <option key={t.value} value={t.value}>
                {t.label}
              </option>
            ))}
          </select>
        </div>
      )}
      {draft.decision === 'reassign' &&
        (draft.newOwner ? (
          <p className="decide-owner">
            New owner: <strong>{draft.newOwner.name ?? draft.newOwner.email}</strong>{' '}
            <span className="muted">{draft.newOwner.email}</span>{' '}
            <Button variant="quiet" icon={RotateCcw} onClick={() => onChange({ ...draft, newOwner: null })}>
              Change
            </Button>
          </p>
        ) : (
          <ReassignPicker
            value={null}
            inputRef={pickerRef}
            suggestion={suggestion}
            onPick={(person) => {
              onChange({ ...draft, newOwner: { email: person.email, name: person.name } });
              window.setTimeout(() => justificationRef.current?.focus(), 0);
            }}
          />
        ))}
      <div className="field">
        <label className="field-label" htmlFor="decision-justification">
          Justification {draft.why ? '(required)' : '(optional)'}
        </label>
        <textarea
          ref={justificationRef}
          id="decision-justification"
          className="field-input decide-justification"
          rows={3}
          value={draft.justification}
          aria-describedby="decision-why"
          placeholder={
            draft.decision === 'revoke'
              ? 'e.g. Key unused since the job moved to an IAM role.'
              : draft.decision === 'reassign'
                ? 'e.g. Took over the Airflow platform from the previous owner.'
                : 'e.g. Still needed by the nightly settlement job; admin scope reviewed with the team.'
          }
          onChange={(event) => onChange({ ...draft, justification: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              onConfirm();
            }
          }}
        />
        <p id="decision-why" className="field-description">
          {draft.why || 'Optional.'} <kbd className="key-hint">Ctrl</kbd>+
          <kbd className="key-hint">Enter</kbd> to confirm, <kbd className="key-hint">Esc</kbd> to cancel.
        </p>
      </div>
      <div className="decide-form-actions">
        <Button
          type="submit"
          variant="primary"
          busy={busy}
          busyLabel="Saving…"
          disabled={Boolean(missing) || (Boolean(draft.why) && !draft.justification.trim())}
          title={missing ?? undefined}
        >
          {verb}
        </Button>
        <Button variant="quiet" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
