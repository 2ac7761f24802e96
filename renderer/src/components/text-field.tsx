import { Label } from 'radix-ui';
import { useId, type InputHTMLAttributes, type ReactNode, type Ref } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value'> {
  label: string;
  value: string;
  onChange: (value: string) => void;
  description?: ReactNode;
  compact?: boolean;
  /** Drawn inside the field on the left, such as a search icon. */
  leading?: ReactNode;
  /** Drawn inside the field on the right, such as a keyboard hint; not read out. */
  trailing?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

/** A labelled text (or date, or search) input that matches the select fields around it. */
export function TextField({
  label,
  value,
  onChange,
  description,
  compact = false,
  leading,
  trailing,
  className,
  ref,
  ...rest
}: TextFieldProps) {
  const id = useId();
  const descriptionId = useId();
  return (
    <div className={['field', compact ? 'field-compact' : null, className].filter(Boolean).join(' ')}>
      <Label.Root className="field-label" htmlFor={id}>
        {label}
      </Label.Root>
      <div
        className={['text-input-wrap', leading ? 'has-leading' : null, trailing ? 'has-trailing' : null]
          .filter(Boolean)
          .join(' ')}
      >
        {leading && (
          <span className="text-input-leading" aria-hidden="true">
            {leading}
          </span>
        )}
        <input
          {...rest}
          ref={ref}
          id={id}
          className="text-input"
          value={value}
          onChange={(event) => onChange(event.target.value)}
          aria-describedby={description ? descriptionId : undefined}
        />
        {trailing && (
          <span className="text-input-trailing" aria-hidden="true">
            {trailing}
          </span>
        )}
      </div>
      {description && (
        <p id={descriptionId} className="field-description">
          {description}
        </p>
      )}
    </div>
  );
}
