import { useQuery } from '@tanstack/react-query';
import { Search } from 'lucide-react';
import { useEffect, useId, useState, type KeyboardEvent, type Ref } from 'react';
import type { MethodOutput } from '../../../shared/api/contract';
import { call } from '../bridge-client';
import { REVIEW_KEY } from './use-queue-pages';

type Person = MethodOutput<'people.search'>[number];

/**
 * A combobox over the active people of the roster: type a name, e-mail or department, move with the
 * arrow keys, Enter picks. Leavers and people outside the roster are never offered.
 */
export function ReassignPicker({
  value,
  onPick,
  inputRef,
  suggestion,
}: {
  value: string | null;
  onPick: (person: Person) => void;
  inputRef?: Ref<HTMLInputElement>;
  /** Who to list first when nothing is typed yet (the leaver's manager). */
  suggestion?: string | null;
}) {
  const [query, setQuery] = useState('');
  const [settled, setSettled] = useState('');
  // The highlighted person is kept by e-mail, so results arriving under the arrow keys never move it.
  const [activeEmail, setActiveEmail] = useState<string | null>(null);
  const listId = useId();
  const inputId = useId();
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(query.trim()), 120);
    return () => window.clearTimeout(timer);
  }, [query]);
  const people = useQuery({
    queryKey: [...REVIEW_KEY, 'people', settled, suggestion ?? ''],
    queryFn: async () => {
      const found = await call('people.search', { query: settled, limit: 8 });
      if (settled || !suggestion) return found;
      const suggested = await call('people.search', { query: suggestion, limit: 1 });
      return [...suggested, ...found.filter((p) => p.email !== suggested[0]?.email)].slice(0, 8);
    },
    placeholderData: (previous) => previous,
  });
  const choices = people.data ?? [];
  const found = choices.findIndex((p) => p.email === activeEmail);
  const current = found < 0 ? 0 : found;
  const setActive = (index: number) => setActiveEmail(choices[index]?.email ?? null);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') setActive(Math.min(current + 1, choices.length - 1));
    else if (event.key === 'ArrowUp') setActive(Math.max(current - 1, 0));
    else if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      const person = choices[current];
      if (person) onPick(person);
    } else return;
    event.preventDefault();
    event.stopPropagation();
  };

  return (
    <div className="reassign-picker">
      <label className="field-label" htmlFor={inputId}>
        New owner
      </label>
      <div className="reassign-input-wrap">
        <Search className="reassign-search-icon" aria-hidden="true" />
        <input
          ref={inputRef}
          id={inputId}
          className="field-input reassign-input"
          role="combobox"
          aria-expanded={choices.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={choices[current] ? `${listId}-${current}` : undefined}
          value={query}
          placeholder="Type a name, e-mail or department"
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => {
            setQuery(event.target.value);
            setActiveEmail(null);
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      <ul id={listId} role="listbox" className="reassign-options" aria-label="Active people of the roster">
        {choices.length === 0 && !people.isFetching && (
          <li className="reassign-none" role="presentation">
            No active person of the roster matches “{settled}”.
          </li>
        )}
        {choices.map((person, index) => (
          <li
            key={person.email}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === current}
            data-chosen={value === person.email || undefined}
            className="reassign-option"
            onMouseEnter={() => setActive(index)}
            onMouseDown={(event) => {
              event.preventDefault();
              onPick(person);
            }}
          >
            <span className="reassign-name">{person.name ?? person.email}</span>
            <span className="reassign-detail">
              {person.email}
              {person.department ? ` · ${person.department}` : ''}
            </span>
          </li>
        ))}
      </ul>
      <p className="field-description">
        Only active people of the HR roster can own an identity. ↑ ↓ to move, Enter to pick.
      </p>
    </div>
  );
}
