import { X } from 'lucide-react';
import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A dialog of the Campaigns page: a title that names it, a line saying what it does, the body, and
 * the buttons at the bottom. The platform's modal <dialog> keeps focus inside, closes on Escape,
 * returns focus after, and draws above everything without the inline styles a scroll lock would
 * inject (the Content-Security-Policy refuses those).
 */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  children,
  footer,
  wide = false,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  children: ReactNode;
  footer: ReactNode;
  wide?: boolean;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog
      ref={ref}
      className={wide ? 'modal modal-wide' : 'modal'}
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onCancel={(event) => {
        event.preventDefault();
        onOpenChange(false);
      }}
    >
      {open && (
        <>
          <header className="modal-header">
            <h2 id={titleId} className="modal-title">
              {title}
            </h2>
            <p id={descriptionId} className="modal-description">
              {description}
            </p>
            <button
              type="button"
              className="modal-close"
              aria-label="Close"
              onClick={() => onOpenChange(false)}
            >
              <X aria-hidden="true" />
            </button>
          </header>
          <div className="modal-body">{children}</div>
          <footer className="modal-footer">{footer}</footer>
        </>
      )}
    </dialog>
  );
}
