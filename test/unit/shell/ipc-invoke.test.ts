import { describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../shared/api/result';
import {
  createInvokeHandler,
  isTrustedSender,
  UntrustedSenderError,
  type SenderFrame,
} from '../../../electron/shell/ipc-invoke';

const appFrame: SenderFrame = { url: 'app://steward/index.html', origin: 'app://steward', parent: null };

function recordingDispatch() {
  return vi.fn(async (method: string, input: unknown): Promise<Result<unknown>> => ({
    ok: true,
    value: { method, input },
  }));
}

describe('IPC sender check', () => {
  it('accepts the top frame of the app', () => {
    expect(isTrustedSender(appFrame)).toBe(true);
    expect(isTrustedSender({ ...appFrame, url: 'app://steward/index.html#/campaigns' })).toBe(true);
  });

  it.each<[string, SenderFrame | null | undefined]>([
    ['a destroyed or navigated-away frame (null)', null],
    ['no frame at all', undefined],
    ['a foreign origin', { url: 'https://evil.example/', origin: 'https://evil.example', parent: null }],
    [
      'a look-alike host',
      { url: 'app://steward.evil/index.html', origin: 'app://steward.evil', parent: null },
    ],
    ['user info in the URL', { url: 'app://steward@evil/index.html', origin: 'app://evil', parent: null }],
    ['a file page', { url: 'file:///etc/passwd', origin: 'file://', parent: null }],
    ['about:blank inheriting the app origin', { url: 'about:blank', origin: 'app://steward', parent: null }],
    [
      'an opaque-origin (sandboxed) document',
      { url: 'app://steward/index.html', origin: 'null', parent: null },
    ],
    ['a data: document', { url: 'data:text/html,hi', origin: 'null', parent: null }],
    ['an iframe of the app', { ...appFrame, parent: appFrame as unknown as SenderFrame['parent'] }],
  ])('refuses %s', (_label, frame) => {
    expect(isTrustedSender(frame)).toBe(false);
  });
});

describe('the app:invoke handler', () => {
  it('dispatches a request from the app frame', async () => {
    const dispatch = recordingDispatch();
    const handle = createInvokeHandler(dispatch);
    await expect(handle({ senderFrame: appFrame as never }, 'vault.status', {})).resolves.toEqual({
      ok: true,
      value: { method: 'vault.status', input: {} },
    });
    expect(dispatch).toHaveBeenCalledOnce();
  });

  it('rejects a null sender frame before the core sees the request', async () => {
    const dispatch = recordingDispatch();
    const handle = createInvokeHandler(dispatch);
    await expect(handle({ senderFrame: null }, 'vault.lock', {})).rejects.toBeInstanceOf(
      UntrustedSenderError,
    );
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('rejects a foreign origin before the core sees the request, naming the page', async () => {
    const dispatch = recordingDispatch();
    const handle = createInvokeHandler(dispatch);
    const foreign = { url: 'https://evil.example/x', origin: 'https://evil.example', parent: null };
    await expect(handle({ senderFrame: foreign as never }, 'vault.lock', {})).rejects.toThrow(
      /not its own \(https:\/\/evil\.example\/x\)/,
    );
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('passes a non-string method on as one the core does not know, for dispatch to refuse', async () => {
    const dispatch = recordingDispatch();
    const handle = createInvokeHandler(dispatch);
    await handle({ senderFrame: appFrame as never }, { toString: 'vault.lock' }, {});
    expect(dispatch).toHaveBeenCalledWith('', {});
  });
});
