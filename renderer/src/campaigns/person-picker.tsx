import { useQuery } from '@tanstack/react-query';
import { Search } from 'lucide-react';
import { useEffect, useId, useState } from 'react';
import { call, queryKeys } from '../bridge-client';
import { TextField } from '../components/text-field';

/**
 * Finds an active person of the HR roster by name, e-mail or department and picks one. Leavers and
 * people outside the roster are never offered (the core refuses them too).
 */
export function PersonPicker({
  label,
  value,
  onChange,
  exclude = [],
}: {
  label: string;
  value: string;
  onChange: (email: string) => void;
  /** People who cannot be chosen here, such as the queue's current reviewer. */
  exclude?: readonly string[];
}) {
  const [query, setQuery] = useState('');
  const [settled, setSettled] = useState('');
  const name = useId();
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(query), 200);
    return () => window.clearTimeout(timer);
  }, [query]);
  const people = useQuery({
    queryKey: [...queryKeys.campaigns, 'people', settled],
    queryFn: () => call('people.search', { query: settled, limit: 8 }),
    placeholderData: (previous) => previous,
  });
  const choices = (people.data ?? []).filter((p) => !exclude.includes(p.email.toLowerCase()));
  return (
    <div className="person-picker">
      <TextField
        label={label}
        type="search"
        value={query}
        onChange={setQuery}
        placeholder="Name, e-mail or department"
        leading={<Search />}
        autoComplete="off"
      />
      <fieldset className="person-choices">
        <legend className="visually-hidden">Active people of the roster</legend>
        {choices.length === 0 && !people.isFetching && (
          <p className="person-none">No active person of the roster matches “{settled}”.</p>
        )}
        {choices.map((person) => (
          <label
            key={person.email}
            className="person-choice"
            data-checked={value === person.email.toLowerCase() || undefined}
          >
            <input
              type="radio"
              name={name}
              value={person.email}
              checked={value === person.email.toLowerCase()}
              onChange={() => onChange(person.email.toLowerCase())}
            />
            <span className="person-name">{person.name ?? person.email}</span>
            <span className="person-detail">
              {person.email}
              {person.department ? ` · ${person.department}` : ''}
            </span>
          </label>
        ))}
      </fieldset>
    </div>
  );
}
