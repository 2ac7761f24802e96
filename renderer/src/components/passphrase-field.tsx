import { CircleAlert } from 'lucide-react';
import { Label } from 'radix-ui';
import { useId, type ReactNode, type Ref } from 'react';

interface PassphraseFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoComplete: 'current-password' | 'new-password';
  /** Shown under the field in the danger colour; also marks the field invalid for assistive technology. */
  error?: string | null;
  /** Help under the field, read out with it. */
  description?: ReactNode;
  /** Content between the field and its description, such as a strength meter. */
  children?: ReactNode;
  /** Ids of other elements that describe this field (a strength hint rendered by `children`). */
  describedBy?: string;
  autoFocus?: boolean;
  ref?: Ref<HTMLInputElement>;
}

export function PassphraseField({
  label,
  value,
  onChange,
  autoComplete,
  error,
  description,
  children,
  describedBy,
  autoFocus,
  ref,
}: PassphraseFieldProps) {
  const inputId = useId();
  const descriptionId = useId();
  const errorId = useId();
  const describedByIds = [error ? errorId : null, describedBy ?? null, description ? descriptionId : null]
    .filter(Boolean)
    .join(' ');

  return (
    <div className="field">
      <Label.Root className="field-label" htmlFor={inputId}>
        {label}
      </Label.Root>
      <input
        ref={ref}
        id={inputId}
        className="field-input"
        type="password"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        autoComplete={autoComplete}
        spellCheck={false}
        autoCapitalize="off"
        autoFocus={autoFocus}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedByIds || undefined}
      />
      {children}
      {description && (
        <p id={descriptionId} className="field-description">
          {description}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          <CircleAlert className="field-error-icon" aria-hidden="true" />
          <span>{error}</span>
        </p>
      )}
    </div>
  );
}
