import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it, vi } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const bundlePath = join(root, 'dist', 'preload', 'preload.cjs');
let bundle = '';

beforeAll(() => {
  if (!existsSync(bundlePath))
    execFileSync(process.execPath, [join(root, 'build', 'build-main.mjs')], { cwd: root });
  bundle = readFileSync(bundlePath, 'utf8');
});

type Listener = (event: unknown, payload: unknown) => void;

/**
 * Runs the built preload the way a sandboxed renderer would: a fresh context whose `require` knows
 * only `electron` (a recording fake here). Anything else it asked for would throw.
 */
function loadPreload(window?: { addEventListener: (...args: unknown[]) => void }) {
  const exposed: Array<[string, unknown]> = [];
  const listeners = new Map<string, Set<Listener>>();
  const fakeElectron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.push([key, api]) },
    webUtils: { getPathForFile: (file: { path: string }) => file.path },
    ipcRenderer: {
      invoke: vi.fn(async (...args: unknown[]) => ({ ok: true, value: args })),
      on: (channel: string, listener: Listener) => {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      },
      removeListener: (channel: string, listener: Listener) => listeners.get(channel)?.delete(listener),
    },
  };
  const requested: string[] = [];
  const module = { exports: {} };
  runInNewContext(bundle, {
    ...(window ? { window } : {}),
    module,
    exports: module.exports,
    require: (name: string) => {
      requested.push(name);
      if (name !== 'electron') throw new Error(`the preload required ${name}`);
      return fakeElectron;
    },
  });
  const emit = (channel: string, payload: unknown) => {
    const sender = { send: () => undefined };
    for (const listener of listeners.get(channel) ?? []) listener({ sender, ports: [] }, payload);
  };
  return { exposed, requested, ipcRenderer: fakeElectron.ipcRenderer, emit, listeners };
}

describe('the built preload bundle', () => {
  it('requires nothing but electron', () => {
    const required = [...bundle.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
    expect(bundle).not.toMatch(/\brequire\(\s*[^"'`\s]/);
    expect(loadPreload().requested).toEqual(['electron']);
  });

  it('exposes exactly window.bridge with invoke and onEvent', () => {
    const { exposed } = loadPreload();
    expect(exposed.map(([key]) => key)).toEqual(['bridge']);
    expect(Object.keys(exposed[0]![1] as object).sort()).toEqual(['invoke', 'onEvent']);
  });

  it('invokes the one app:invoke channel with the method and the input', async () => {
    const { exposed, ipcRenderer } = loadPreload();
    const bridge = exposed[0]![1] as { invoke(method: string, input: unknown): Promise<unknown> };
    await bridge.invoke('vault.unlock', { passphrase: 'correct horse battery staple' });
    expect(ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith('app:invoke', 'vault.unlock', {
      passphrase: 'correct horse battery staple',
    });
  });

  it('passes listeners only the event payload, and unsubscribes', () => {
    const { exposed, emit, listeners } = loadPreload();
    const bridge = exposed[0]![1] as { onEvent(listener: (event: unknown) => void): () => void };
    const received: unknown[][] = [];
    const unsubscribe = bridge.onEvent((...args) => received.push(args));
    const event = { name: 'vault.changed', payload: { state: 'locked' } };
    emit('app:event', event);
    expect(received).toEqual([[event]]);

    unsubscribe();
    emit('app:event', event);
    expect(received).toHaveLength(1);
    expect(listeners.get('app:event')?.size).toBe(0);
  });

  it('hands the paths of dropped files to the core, and nothing to the page', async () => {
    const handlers: Array<[string, (event: unknown) => void, unknown]> = [];
    const fakeWindow = {
      addEventListener: (type: unknown, handler: unknown, options: unknown) =>
        handlers.push([type as string, handler as (event: unknown) => void, options]),
    };
    const { ipcRenderer } = loadPreload(fakeWindow);
    expect(handlers.map(([type, , options]) => [type, options])).toEqual([['drop', { capture: true }]]);
    handlers[0]![1]({
      dataTransfer: { files: [{ path: '/x/page1.json' }, { path: '' }, { path: '/x/page2.json' }] },
    });
    expect(ipcRenderer.invoke).toHaveBeenCalledExactlyOnceWith('app:invoke', 'imports.announceDroppedFiles', {
      paths: ['/x/page1.json', '/x/page2.json'],
    });
    handlers[0]![1]({ dataTransfer: { files: [] } });
    expect(ipcRenderer.invoke).toHaveBeenCalledTimes(1);
  });
});
