import { Label } from 'radix-ui';
import { useId, type ReactNode, type Ref } from 'react';

export interface SelectOption {
  value: string;
  label: string;
}

interface SelectFieldProps {
  label: string;
  value: string;
  options: SelectOption[];
  onChange: (value: string) => void;
  /** Help under the field, read out with it. */
  description?: ReactNode;
  /** A compact field for filter bars: label above, 32px control. */
  compact?: boolean;
  disabled?: boolean;
  className?: string;
  ref?: Ref<HTMLSelectElement>;
}

/** A labelled native select: the platform's own menu, keyboard and screen reader support, no injected styles. */
export function SelectField({
  label,
  value,
  options,
  onChange,
  description,
  compact = false,
  disabled,
  className,
  ref,
}: SelectFieldProps) {
  const id = useId();
  const descriptionId = useId();
  return (
    <div className={['field', compact ? 'field-compact' : null, className].filter(Boolean).join(' ')}>
      <Label.Root className="field-label" htmlFor={id}>
        {label}
      </Label.Root>
      <select
        ref={ref}
        id={id}
        className="select-input"
        value={value}
        disabled={disabled}
        onChange={(event) => onChange(event.target.value)}
        aria-describedby={description ? descriptionId : undefined}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {description && (
        <p id={descriptionId} className="field-description">
          {description}
        </p>
      )}
    </div>
  );
}
