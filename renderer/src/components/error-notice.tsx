import { CircleAlert, Hourglass } from 'lucide-react';
import { isBridgeError } from '../bridge-client';

/**
 * The words to show for a failed call. The core's messages already say what to do, so they are shown
 * as they are; only an unexpected failure gets a sentence of our own in front.
 */
export function describeError(error: unknown): { title: string | null; message: string } {
  if (isBridgeError(error) && error.code !== 'INTERNAL') return { title: null, message: error.message };
  const message = error instanceof Error ? error.message : String(error);
  return { title: 'Steward ran into an unexpected problem.', message };
}

/**
 * A failure that belongs to a whole form or screen rather than to one field. BUSY is not a failure:
 * the vault is lent to an import or an export for a while, so it reads as a wait (and a screen's
 * queries ask again by themselves once it is back: useCoreEvents).
 */
export function ErrorNotice({ error }: { error: unknown }) {
  if (isBridgeError(error) && error.code === 'BUSY') {
    return (
      <div role="status" className="notice notice-info">
        <Hourglass className="notice-icon" aria-hidden="true" />
        <p>{error.message}</p>
      </div>
    );
  }
  const { title, message } = describeError(error);
  return (
    <div role="alert" className="notice notice-error">
      <CircleAlert className="notice-icon" aria-hidden="true" />
      <div>
        {title && <p className="notice-title">{title}</p>}
        <p>{message}</p>
      </div>
    </div>
  );
}
