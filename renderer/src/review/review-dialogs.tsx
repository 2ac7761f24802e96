import { useRef, useState } from 'react';
import type { MethodOutput } from '../../../shared/api/contract';
import { RISK_SIGNALS } from '../../../shared/domain/risk';
import { Button } from '../components/button';
import { formatCount, plural } from '../format';
import { SEVERITY_TONES } from './review-labels';
import { ReviewModal as Modal } from './review-modal';

export const SHORTCUTS: Array<[string, string]> = [
  ['j / ↓', 'Next item'],
  ['k / ↑', 'Previous item'],
  ['c', 'Certify the item'],
  ['r', 'Revoke (then choose what: the identity, a credential or an entitlement)'],
  ['a', 'Reassign to a new owner (opens the picker)'],
  ['u', 'Undo your last decision'],
  ['x', 'Select or unselect the item for a bulk decision'],
  ['/', 'Search'],
  ['s', 'Sign off, once every item is decided'],
  ['Ctrl+Enter', 'Confirm a decision from the justification field'],
  ['Esc', 'Cancel, or leave the search'],
  ['?', 'This list'],
];

export function ShortcutsDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const closeRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      initialFocus={closeRef}
      open={open}
      onOpenChange={onOpenChange}
      title="Keyboard shortcuts"
      description="Every decision can be taken without the mouse. Shortcuts wait while you type in a field."
      footer={
        <Button ref={closeRef} variant="primary" onClick={() => onOpenChange(false)}>
          Close
        </Button>
      }
    >
      <dl className="shortcut-list">
        {SHORTCUTS.map(([keys, what]) => (
          <div key={keys} className="shortcut-row">
            <dt>
              {keys.split(' / ').map((key, index) => (
                <span key={key}>
                  {index > 0 && <span className="muted"> or </span>}
                  <kbd className="key-hint">{key}</kbd>
                </span>
              ))}
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </Modal>
  );
}

type Summary = MethodOutput<'review.queueIds'>;

/** States how many items and which signals a bulk decision covers before anything is written. */
export function BulkDialog({
  open,
  onOpenChange,
  decision,
  summary,
  onConfirm,
  busy,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  decision: 'certify' | 'revoke';
  summary: Summary | null;
  onConfirm: (justification: string) => void;
  busy: boolean;
}) {
  const [justification, setJustification] = useState('');
  const justificationRef = useRef<HTMLTextAreaElement>(null);
  const count = summary?.itemIds.length ?? 0;
  const required = decision === 'revoke';
  const verb = decision === 'certify' ? 'Certify' : 'Revoke';
  const confirm = () => {
    if (required && !justification.trim()) return;
    onConfirm(justification.trim());
  };
  return (
    <Modal
      initialFocus={justificationRef}
      open={open}
      onOpenChange={onOpenChange}
      title={`${verb} ${plural(count, 'item', 'items')}?`}
      description={
        decision === 'revoke'
          ? 'Each whole identity will be marked for revocation, one log record per item.'
          : 'Each item will be certified as it is, one log record per item.'
      }
      footer={
        <>
          <Button variant="quiet" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            variant="primary"
            busy={busy}
            busyLabel="Deciding…"
            disabled={count === 0 || (required && !justification.trim())}
            onClick={confirm}
          >
            {verb} {formatCount(count)}
          </Button>
        </>
      }
    >
      {summary === null ? (
        <p className="muted">Counting the selection…</p>
      ) : (
        <>
          <p className="bulk-lead">
            <strong>{plural(count, 'item', 'items')}</strong>
            {summary.signals.length === 0 ? ' with no risk signal.' : ' carrying these signals:'}
          </p>
          {summary.signals.length > 0 && (
            <ul className="bulk-signals">
              {summary.signals.map((signal) => (
                <li key={signal.code}>
                  <span className={`signal-chip signal-${SEVERITY_TONES[signal.severity]}`}>
                    {RISK_SIGNALS[signal.code].label}
                  </span>
                  <span>{plural(signal.count, 'item', 'items')}</span>
                </li>
              ))}
            </ul>
          )}
          {decision === 'certify' && summary.highRisk > 0 && (
            <p className="notice notice-warning bulk-warning">
              {plural(summary.highRisk, 'item has', 'items have')} a high-risk signal. Without a justification{' '}
              {summary.highRisk === 1 ? 'it is' : 'they are'} skipped and stay undecided; with one, it applies
              to all of them.
            </p>
          )}
        </>
      )}
      <div className="field">
        <label className="field-label" htmlFor="bulk-justification">
          Justification {required ? '(required)' : '(optional)'}
        </label>
        <textarea
          ref={justificationRef}
          id="bulk-justification"
          className="field-input decide-justification"
          rows={3}
          value={justification}
          onChange={(event) => setJustification(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
              event.preventDefault();
              confirm();
            }
          }}
        />
      </div>
    </Modal>
  );
}

export function SignOffDialog({
  open,
  onOpenChange,
  name,
  email,
  count,
  campaignName,
  asOf,
  onConfirm,
  busy,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  name: string;
  email: string;
  count: number;
  campaignName: string;
  asOf: string;
  onConfirm: () => void;
  busy: boolean;
}) {
  const attestRef = useRef<HTMLButtonElement>(null);
  return (
    <Modal
      initialFocus={attestRef}
      open={open}
      onOpenChange={onOpenChange}
      title="Sign off your review"
      description="Your sign-off is recorded in the decision log with your name and the time. Your decisions cannot change afterwards."
      footer={
        <>
          <Button variant="quiet" onClick={() => onOpenChange(false)}>
            Not yet
          </Button>
          <Button ref={attestRef} variant="primary" busy={busy} busyLabel="Signing off…" onClick={onConfirm}>
            I attest, sign off
          </Button>
        </>
      }
    >
      <blockquote className="attestation">
        I, <strong>{name}</strong> ({email}), attest that I reviewed the {formatCount(count)} machine
        identities assigned to me in <strong>{campaignName}</strong> and that my decisions reflect the access
        each of them needs as of {asOf}, to the best of my knowledge.
      </blockquote>
    </Modal>
  );
}

export function SaveViewDialog({
  open,
  onOpenChange,
  onSave,
  busy,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  onSave: (name: string) => void;
  busy: boolean;
}) {
  const [name, setName] = useState('');
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title="Save these filters as a view"
      description="Views are kept in the vault and listed beside the built-in ones."
      footer={
        <>
          <Button variant="quiet" onClick={() => onOpenChange(false)}>
            Cancel
          </Button>
          <Button variant="primary" busy={busy} disabled={!name.trim()} onClick={() => onSave(name.trim())}>
            Save view
          </Button>
        </>
      }
    >
      <div className="field">
        <label className="field-label" htmlFor="view-name">
          Name
        </label>
        <input
          id="view-name"
          className="field-input"
          value={name}
          maxLength={80}
          onChange={(event) => setName(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && name.trim()) onSave(name.trim());
          }}
        />
      </div>
    </Modal>
  );
}
