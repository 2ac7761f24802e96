import { LoaderCircle, type LucideIcon } from 'lucide-react';
import type { ButtonHTMLAttributes, Ref } from 'react';

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: 'primary' | 'secondary' | 'quiet';
  icon?: LucideIcon;
  /** While true the button is disabled, says `busyLabel` and shows a spinner, so a slow action is not clicked twice. */
  busy?: boolean;
  busyLabel?: string;
  ref?: Ref<HTMLButtonElement>;
}

export function Button({
  variant = 'secondary',
  icon: Icon,
  busy = false,
  busyLabel,
  children,
  className,
  disabled,
  type = 'button',
  ...rest
}: ButtonProps) {
  const classes = ['button', `button-${variant}`, className].filter(Boolean).join(' ');
  return (
    <button
      {...rest}
      type={type}
      className={classes}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
    >
      {busy ? (
        <LoaderCircle className="button-icon spin" aria-hidden="true" />
      ) : (
        Icon && <Icon className="button-icon" aria-hidden="true" />
      )}
      <span>{busy && busyLabel ? busyLabel : children}</span>
    </button>
  );
}
