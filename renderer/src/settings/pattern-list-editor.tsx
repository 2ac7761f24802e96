import { CircleAlert, Plus, X } from 'lucide-react';
import { Label } from 'radix-ui';
import { useId, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { Button } from '../components/button';

interface PatternListEditorProps {
  label: string;
  /** Help under the label, read out with the field. */
  description: string;
  /** Said where the list would be when it is empty, such as the default. */
  emptyText: string;
  patterns: string[];
  onChange: (patterns: string[]) => void;
  error?: string | null;
  maxLength: number;
  ref?: Ref<HTMLInputElement>;
}

/**
 * A short list of names edited one at a time: type one and add it (Enter adds, it does not submit the
 * surrounding form), remove any with its own button. Focus stays in the list after a removal.
 */
export function PatternListEditor({
  label,
  description,
  emptyText,
  patterns,
  onChange,
  error,
  maxLength,
  ref,
}: PatternListEditorProps) {
  const [draft, setDraft] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const inputId = useId();
  const descriptionId = useId();
  const errorId = useId();
  const listId = useId();
  const listRef = useRef<HTMLUListElement>(null);
  const inputRef = useRef<HTMLInputElement | null>(null);

  function addDraft() {
    const pattern = draft.trim();
    if (pattern.length === 0) {
      setNote('Type a name or pattern first.');
      return;
    }
    if (patterns.some((existing) => existing.toLowerCase() === pattern.toLowerCase())) {
      setNote(`${pattern} is already in the list.`);
      return;
    }
    onChange([...patterns, pattern]);
    setDraft('');
    setNote(null);
  }

  function remove(index: number) {
    const next = patterns.filter((_, i) => i !== index);
    onChange(next);
    // The removed button is gone: move to the entry that took its place, or back to the input.
    requestAnimationFrame(() => {
      const buttons = listRef.current?.querySelectorAll<HTMLButtonElement>('button');
      const target = buttons?.[Math.min(index, (buttons?.length ?? 0) - 1)];
      (target ?? inputRef.current)?.focus();
    });
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    addDraft();
  }

  const shownError = note ?? error ?? null;
  const describedBy = [shownError ? errorId : null, descriptionId, listId].filter(Boolean).join(' ');

  return (
    <div className="field">
      <Label.Root className="field-label" htmlFor={inputId}>
        {label}
      </Label.Root>
      <p id={descriptionId} className="field-description">
        {description}
      </p>
      {patterns.length > 0 ? (
        <ul ref={listRef} id={listId} className="pattern-list" aria-label="Added names and patterns">
          {patterns.map((pattern, index) => (
            <li key={pattern} className="pattern-item">
              <span className="pattern-text">{pattern}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${pattern}`}
                title={`Remove ${pattern}`}
                onClick={() => remove(index)}
              >
                <X aria-hidden="true" />
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p id={listId} className="pattern-empty">
          {emptyText}
        </p>
      )}
      <div className="pattern-add">
        <input
          ref={(node) => {
            inputRef.current = node;
            if (typeof ref === 'function') ref(node);
            else if (ref) ref.current = node;
          }}
          id={inputId}
          className="text-input"
          value={draft}
          maxLength={maxLength}
          placeholder="For example *Admin*"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          onChange={(event) => {
            setDraft(event.target.value);
            setNote(null);
          }}
          onKeyDown={onKeyDown}
          aria-invalid={shownError ? true : undefined}
          aria-describedby={describedBy}
        />
        <Button icon={Plus} onClick={addDraft}>
          Add
        </Button>
      </div>
      {shownError && (
        <p id={errorId} className="field-error">
          <CircleAlert className="field-error-icon" aria-hidden="true" />
          <span>{shownError}</span>
        </p>
      )}
    </div>
  );
}
