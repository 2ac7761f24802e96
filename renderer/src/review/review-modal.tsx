import { X } from 'lucide-react';
import { useEffect, useId, useRef, type ReactNode, type RefObject } from 'react';

/**
 * A dialog of the review workspace, on the platform's modal <dialog> like the Campaigns page's (Radix's
 * scroll lock injects inline styles the CSP refuses): focus stays inside, Escape closes it, the page
 * behind is inert. `initialFocus` names the control Enter should act on when it opens.
 */
export function ReviewModal({
  open,
  onOpenChange,
  title,
  description,
  children,
  footer,
  initialFocus,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: ReactNode;
  children: ReactNode;
  footer: ReactNode;
  initialFocus?: RefObject<HTMLElement | null>;
}) {
  if (!open) return null;
  return (
    <OpenModal
      onClose={() => onOpenChange(false)}
      title={title}
      description={description}
      footer={footer}
      initialFocus={initialFocus}
    >
      {children}
    </OpenModal>
  );
}

function OpenModal({
  onClose,
  title,
  description,
  children,
  footer,
  initialFocus,
}: {
  onClose: () => void;
  title: string;
  description: ReactNode;
  children: ReactNode;
  footer: ReactNode;
  initialFocus?: RefObject<HTMLElement | null>;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return undefined;
    if (!dialog.open) dialog.showModal();
    initialFocus?.current?.focus();
    return () => dialog.close();
  }, [initialFocus]);
  return (
    <dialog
      ref={ref}
      className="modal review-modal"
      aria-labelledby={titleId}
      aria-describedby={descriptionId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
    >
      <header className="modal-header">
        <h2 id={titleId} className="modal-title">
          {title}
        </h2>
        <p id={descriptionId} className="modal-description">
          {description}
        </p>
        <button type="button" className="modal-close" aria-label="Close" onClick={onClose}>
          <X aria-hidden="true" />
        </button>
      </header>
      <div className="modal-body">{children}</div>
      <footer className="modal-footer">{footer}</footer>
    </dialog>
  );
}
