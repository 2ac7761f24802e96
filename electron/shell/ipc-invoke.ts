import type { IpcMainInvokeEvent, WebFrameMain } from 'electron';
import type { Result } from '../../shared/api/result';
import { APP_ORIGIN, isAppUrl } from './app-origin';

/** The one IPC channel from the renderer to the core (DESIGN.md: add no new channel). */
export const INVOKE_CHANNEL = 'app:invoke';
/** The one channel from the core to the renderer, carrying `CoreEvent`s. */
export const EVENT_CHANNEL = 'app:event';

/** The parts of a sender frame the check reads; a WebFrameMain has them all. */
export type SenderFrame = Pick<WebFrameMain, 'url' | 'origin' | 'parent'>;

/**
 * Whether an IPC message may reach the core. The frame must still exist (a navigated-away or destroyed
 * frame reports null), be a top-level frame (an iframe, even one of ours, gets no bridge), and both its
 * origin and its URL must be the app's. Both, because `origin` is inherited by `about:blank` children
 * and `url` alone says nothing about sandboxed (opaque-origin) documents.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  if (!frame) return false;
  if (frame.parent !== null) return false;
  return frame.origin === APP_ORIGIN && isAppUrl(frame.url);
}

export class UntrustedSenderError extends Error {
  constructor(url: string | undefined) {
    super(`Steward refused a request from a page that is not its own (${url || 'unknown frame'}).`);
    this.name = 'UntrustedSenderError';
  }
}

export type Dispatch = (method: string, input: unknown) => Promise<Result<unknown>>;
export type InvokeEvent = Pick<IpcMainInvokeEvent, 'senderFrame'>;

/**
 * Builds the `app:invoke` handler: the sender check runs first, and only then the core's dispatch,
 * which validates the method name and the input with zod. An untrusted sender gets a rejected promise
 * and the core never sees its request.
 */
export function createInvokeHandler(
  dispatch: Dispatch,
): (event: InvokeEvent, method: unknown, input: unknown) => Promise<Result<unknown>> {
  return async (event, method, input) => {
    const frame = event.senderFrame;
    if (!isTrustedSender(frame)) throw new UntrustedSenderError(frame?.url);
    return dispatch(typeof method === 'string' ? method : '', input);
  };
}
