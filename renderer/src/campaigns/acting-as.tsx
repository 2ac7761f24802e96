import { UserRound } from 'lucide-react';
import { useId, useState } from 'react';
import { Button } from '../components/button';

/**
 * Who the campaign owner's actions are recorded as: the CLI's `--as EMAIL`. The campaign's owner by
 * default; the core refuses an owner's action for anybody else, so a change here is for a delegate
 * who knows what they are doing, and it says so.
 */
export function ActingAs({
  actor,
  owner,
  onChange,
}: {
  actor: string;
  owner: string;
  onChange: (actor: string) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(actor);
  const inputId = useId();
  if (editing) {
    return (
      <form
        className="acting-as"
        onSubmit={(event) => {
          event.preventDefault();
          const next = draft.trim().toLowerCase();
          if (next) onChange(next);
          setEditing(false);
        }}
      >
        <label htmlFor={inputId} className="acting-as-label">
          Acting as
        </label>
        <input
          id={inputId}
          className="acting-as-input"
          type="email"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          autoFocus
        />
        <Button type="submit" variant="secondary" className="button-small">
          Use
        </Button>
        <Button
          variant="quiet"
          className="button-small"
          onClick={() => {
            setDraft(actor);
            setEditing(false);
          }}
        >
          Cancel
        </Button>
      </form>
    );
  }
  return (
    <p className="acting-as" aria-live="polite">
      <UserRound className="acting-as-icon" aria-hidden="true" />
      <span className="acting-as-label">Acting as</span>
      <strong className="acting-as-actor">{actor}</strong>
      <span className="acting-as-role">
        {actor === owner ? '(campaign owner)' : '(not the campaign owner)'}
      </span>
      <Button
        variant="quiet"
        className="button-small"
        onClick={() => {
          setDraft(actor);
          setEditing(true);
        }}
        aria-label={`Change who you act as (now ${actor})`}
      >
        Change
      </Button>
    </p>
  );
}
