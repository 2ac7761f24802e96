import { useQuery } from '@tanstack/react-query';
import { ShieldAlert, X } from 'lucide-react';
import { useId, type ReactNode } from 'react';
import type { z } from 'zod';
import type { identityDetailSchema } from '../../../shared/api/schemas/imports';
import type { IdentityRecord } from '../../../shared/api/schemas/inventory';
import { call, queryKeys } from '../bridge-client';
import { Badge } from '../components/badge';
import { ErrorNotice } from '../components/error-notice';
import { ageInDays, formatAge, formatDay, formatDayTime } from '../format';
import { CREDENTIAL_STATUS_LABELS, CREDENTIAL_TYPE_LABELS, KIND_LONG_LABELS } from '../identity-labels';
import { ownerBadge } from './inventory-columns';
import { SignalList } from '../components/signal-badges';

type IdentityDetail = z.infer<typeof identityDetailSchema>;
type Change = IdentityDetail['history'][number];

/**
 * Everything Steward knows about one identity, beside the list: owners, credentials, entitlements,
 * attributes and how it changed from one import to the next. Not modal: the list stays usable.
 */
export function IdentityDetailPanel({
  identity,
  asOf,
  onClose,
}: {
  identity: IdentityRecord | null;
  asOf: string;
  onClose: () => void;
}) {
  const titleId = useId();
  const detail = useQuery({
    queryKey: [...queryKeys.inventory, 'identity', identity?.id ?? null, asOf],
    queryFn: () => call('identities.get', { id: identity!.id, asOf }),
    enabled: identity !== null,
  });
  const record = detail.data?.identity ?? identity;

  return (
    <aside
      className="detail-panel"
      aria-labelledby={titleId}
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.preventDefault();
        onClose();
      }}
    >
      <header className="detail-header">
        <div className="detail-heading">
          <p className="detail-kind">{record ? KIND_LONG_LABELS[record.kind] : 'Identity'}</p>
          <h2 id={titleId} className="detail-title">
            {record?.name ?? 'Loading…'}
          </h2>
        </div>
        <button
          type="button"
          className="icon-button detail-close"
          aria-label="Close details"
          onClick={onClose}
        >
          <X aria-hidden="true" />
        </button>
      </header>
      <div className="detail-body">
        {detail.isError && <ErrorNotice error={detail.error} />}
        {record && <Overview record={record} detail={detail.data ?? null} />}
        {record && (
          <Section title="Risk signals" count={record.signals.length}>
            <SignalList signals={record.signals} />
          </Section>
        )}
        {record && <Owners record={record} />}
        {record && <Credentials record={record} asOf={asOf} />}
        {record && <Entitlements record={record} />}
        {detail.data && <Attributes attributes={detail.data.attributes} />}
        {detail.data && <History history={detail.data.history} />}
      </div>
    </aside>
  );
}

function Section({ title, count, children }: { title: string; count?: number; children: ReactNode }) {
  const id = useId();
  return (
    <section className="detail-section" aria-labelledby={id}>
      <h3 id={id} className="detail-section-title">
        {title}
        {count !== undefined && <span className="detail-count">{count}</span>}
      </h3>
      {children}
    </section>
  );
}

function Overview({ record, detail }: { record: IdentityRecord; detail: IdentityDetail | null }) {
  return (
    <dl className="detail-facts">
      <Fact label="Id in the source">
        <span className="mono detail-wrap">{record.externalId}</span>
      </Fact>
      <Fact label="Source">
        <span className="mono">{record.source}</span>
      </Fact>
      <Fact label="Environment">{record.environment ?? <span className="muted">Not stated</span>}</Fact>
      <Fact label="Status">
        {record.notSeenSince ? (
          <Badge tone="warning">Not seen since {formatDay(record.notSeenSince)}</Badge>
        ) : record.status === 'disabled' ? (
          <Badge>Disabled</Badge>
        ) : record.status === 'active' ? (
          'Active'
        ) : (
          <span className="muted">Unknown</span>
        )}
      </Fact>
      <Fact label="Created">
        {record.createdAt ? formatDay(record.createdAt) : <span className="muted">—</span>}
      </Fact>
      <Fact label="Last used">
        {record.lastUsedAt ? formatDay(record.lastUsedAt) : <span className="muted">—</span>}
      </Fact>
      {detail?.firstSeen && <Fact label="First imported">{formatDayTime(detail.firstSeen)}</Fact>}
      {detail?.lastSeen && <Fact label="Last imported">{formatDayTime(detail.lastSeen)}</Fact>}
      {record.description && (
        <Fact label="Description">
          <span className="detail-wrap">{record.description}</span>
        </Fact>
      )}
    </dl>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="detail-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function Owners({ record }: { record: IdentityRecord }) {
  return (
    <Section title="Owners" count={record.owners.length}>
      {record.owners.length === 0 ? (
        <p className="detail-empty">
          <Badge>No owner</Badge> The source names no one responsible for this identity.
        </p>
      ) : (
        <ul className="detail-list">
          {record.owners.map((owner) => {
            const badge = ownerBadge(owner.status);
            return (
              <li key={`${owner.role}-${owner.email}`} className="detail-list-item">
                <span className="detail-owner">
                  <span className="detail-wrap">{owner.email}</span>
                  <span className="muted detail-role">
                    {owner.role === 'business' ? 'Business' : 'Technical'}
                  </span>
                </span>
                <Badge tone={badge.tone}>{badge.text}</Badge>
              </li>
            );
          })}
        </ul>
      )}
    </Section>
  );
}

function dayAndAge(iso: string | null, asOf: string): ReactNode {
  if (!iso) return <span className="muted">—</span>;
  return (
    <>
      {formatDay(iso)} <span className="muted">({formatAge(ageInDays(iso, asOf))})</span>
    </>
  );
}

function Credentials({ record, asOf }: { record: IdentityRecord; asOf: string }) {
  return (
    <Section title="Credentials" count={record.credentials.length}>
      {record.credentials.length === 0 ? (
        <p className="detail-empty muted">No keys, secrets, certificates or tokens listed.</p>
      ) : (
        <ul className="detail-cards">
          {record.credentials.map((credential, index) => (
            <li key={`${credential.externalId ?? 'credential'}-${index}`} className="detail-card">
              <div className="detail-card-head">
                <span className="detail-card-title">{CREDENTIAL_TYPE_LABELS[credential.type]}</span>
                <Badge
                  tone={
                    credential.status === 'active'
                      ? 'success'
                      : credential.status === 'expired'
                        ? 'danger'
                        : 'neutral'
                  }
                >
                  {CREDENTIAL_STATUS_LABELS[credential.status]}
                </Badge>
              </div>
              {credential.externalId && <p className="mono detail-wrap muted">{credential.externalId}</p>}
              <dl className="detail-card-facts">
                <div>
                  <dt>Created</dt>
                  <dd>{dayAndAge(credential.createdAt, asOf)}</dd>
                </div>
                <div>
                  <dt>Rotated</dt>
                  <dd>{dayAndAge(credential.lastRotatedAt, asOf)}</dd>
                </div>
                <div>
                  <dt>Expires</dt>
                  <dd>
                    {credential.expiresAt ? (
                      formatDay(credential.expiresAt)
                    ) : (
                      <span className="muted">—</span>
                    )}
                  </dd>
                </div>
                <div>
                  <dt>Last used</dt>
                  <dd>{dayAndAge(credential.lastUsedAt, asOf)}</dd>
                </div>
              </dl>
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Entitlements({ record }: { record: IdentityRecord }) {
  const sorted = [...record.entitlements].sort(
    (a, b) => Number(b.privileged) - Number(a.privileged) || a.name.localeCompare(b.name),
  );
  return (
    <Section title="Entitlements" count={sorted.length}>
      {sorted.length === 0 ? (
        <p className="detail-empty muted">No roles, groups, policies or scopes listed.</p>
      ) : (
        <ul className="detail-list">
          {sorted.map((entitlement, index) => (
            <li
              key={`${entitlement.name}-${entitlement.resource ?? ''}-${index}`}
              className="detail-list-item"
            >
              <span className="detail-entitlement">
                <span className="detail-wrap">{entitlement.name}</span>
                {entitlement.resource && <span className="muted detail-wrap">on {entitlement.resource}</span>}
              </span>
              {entitlement.privileged && (
                <Badge tone="danger">
                  <ShieldAlert className="badge-icon" aria-hidden="true" />
                  Privileged
                </Badge>
              )}
            </li>
          ))}
        </ul>
      )}
    </Section>
  );
}

function Attributes({ attributes }: { attributes: IdentityDetail['attributes'] }) {
  const entries = Object.entries(attributes).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return null;
  return (
    <Section title="Attributes" count={entries.length}>
      <dl className="detail-attributes">
        {entries.map(([key, value]) => (
          <div key={key} className="detail-attribute">
            <dt className="mono">{key}</dt>
            <dd className="detail-wrap">
              {value === null ? <span className="muted">—</span> : String(value)}
            </dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

const CHANGE_LABELS: Record<Change['change'], string> = {
  added: 'First imported',
  changed: 'Changed',
  'not-seen': 'Not in this export',
  'seen-again': 'Seen again',
};

const ASPECT_LABELS: Record<string, string> = {
  owners: 'owners',
  status: 'status',
  entitlements: 'entitlements',
  credentials: 'credentials',
  name: 'name',
  environment: 'environment',
  description: 'description',
  lastUsedAt: 'last use',
  kind: 'kind',
};

function History({ history }: { history: Change[] }) {
  return (
    <Section title="History" count={history.length}>
      {history.length === 0 ? (
        <p className="detail-empty muted">No import has recorded this identity yet.</p>
      ) : (
        <ol className="timeline">
          {history.map((change, index) => (
            <li key={`${change.snapshotId}-${index}`} className="timeline-item" data-change={change.change}>
              <span className="timeline-dot" aria-hidden="true" />
              <div className="timeline-content">
                <p className="timeline-head">
                  <span className="timeline-change">{CHANGE_LABELS[change.change]}</span>
                  {change.aspects.length > 0 && (
                    <span className="timeline-aspects">
                      {change.aspects.map((aspect) => ASPECT_LABELS[aspect] ?? aspect).join(', ')}
                    </span>
                  )}
                </p>
                <p className="timeline-when">
                  {formatDayTime(change.importedAt)} · snapshot {change.snapshotId}
                </p>
                {Object.entries(change.details).map(([aspect, detail]) => (
                  <ChangeDetail key={aspect} aspect={aspect} before={detail.before} after={detail.after} />
                ))}
              </div>
            </li>
          ))}
        </ol>
      )}
    </Section>
  );
}

/** A value from a change record, in a few words: owners, entitlements and credentials by what names them. */
function describeItem(aspect: string, item: unknown): string {
  if (item === null || item === undefined) return 'none';
  if (typeof item === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(item)) return formatDay(item);
  if (typeof item !== 'object') return String(item);
  const value = item as Record<string, unknown>;
  switch (aspect) {
    case 'owners':
      return `${String(value.ref ?? value.email ?? '?')}${value.role ? ` (${String(value.role)})` : ''}`;
    case 'entitlements':
      return `${String(value.name ?? '?')}${value.resource ? ` on ${String(value.resource)}` : ''}${value.privileged ? ' (privileged)' : ''}`;
    case 'credentials': {
      const type =
        CREDENTIAL_TYPE_LABELS[value.type as keyof typeof CREDENTIAL_TYPE_LABELS] ??
        String(value.type ?? 'credential');
      const id = value.externalId ? ` ${String(value.externalId)}` : '';
      const rotated =
        typeof value.lastRotatedAt === 'string' ? `, rotated ${formatDay(value.lastRotatedAt)}` : '';
      return `${type}${id}: ${String(value.status ?? 'unknown')}${rotated}`;
    }
    default:
      return JSON.stringify(item);
  }
}

function ChangeDetail({ aspect, before, after }: { aspect: string; before: unknown; after: unknown }) {
  const label = ASPECT_LABELS[aspect] ?? aspect;
  if (Array.isArray(before) || Array.isArray(after)) {
    const was = (Array.isArray(before) ? before : []).map((item) => describeItem(aspect, item));
    const now = (Array.isArray(after) ? after : []).map((item) => describeItem(aspect, item));
    const removed = was.filter((item) => !now.includes(item));
    const added = now.filter((item) => !was.includes(item));
    return (
      <div className="change-detail">
        <p className="change-aspect">{label}</p>
        <ul className="change-lines">
          {removed.map((item, index) => (
            <li key={`-${index}`} className="change-removed">
              <span aria-label="Removed">−</span> {item}
            </li>
          ))}
          {added.map((item, index) => (
            <li key={`+${index}`} className="change-added">
              <span aria-label="Added">+</span> {item}
            </li>
          ))}
          {removed.length === 0 && added.length === 0 && (
            <li className="muted">Reordered, nothing added or removed</li>
          )}
        </ul>
      </div>
    );
  }
  return (
    <div className="change-detail">
      <p className="change-aspect">{label}</p>
      <p className="change-scalar">
        <span className="change-before">{describeItem(aspect, before)}</span>
        <span aria-label="became"> → </span>
        <span className="change-after">{describeItem(aspect, after)}</span>
      </p>
    </div>
  );
}
