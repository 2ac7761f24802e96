import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The shell's wiring cannot run without the Electron binary, which this machine kind cannot download.
// These checks read the source so that removing a safeguard from main.ts or preload.ts fails a test.
const root = join(import.meta.dirname, '..', '..', '..');
const main = readFileSync(join(root, 'electron', 'shell', 'main.ts'), 'utf8');
const preload = readFileSync(join(root, 'electron', 'preload', 'preload.ts'), 'utf8');

/** The source without comments, so a safeguard mentioned in a comment does not count as present. */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

function count(source: string, needle: string | RegExp): number {
  const pattern =
    typeof needle === 'string' ? new RegExp(needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g') : needle;
  return [...source.matchAll(pattern)].length;
}

const mainCode = code(main);
const preloadCode = code(preload);

describe('electron/shell/main.ts wiring', () => {
  it('holds the single-instance lock and focuses the first window on a second start', () => {
    expect(mainCode).toContain('app.requestSingleInstanceLock()');
    expect(mainCode).toMatch(/app\.on\('second-instance', focusMainWindow\)/);
    expect(mainCode).toMatch(/function focusMainWindow[\s\S]*?\.focus\(\)/);
  });

  it('registers app:// as privileged before ready, and serves it through the pure resolver', () => {
    const registerAt = mainCode.indexOf('protocol.registerSchemesAsPrivileged(');
    expect(registerAt).toBeGreaterThan(-1);
    expect(registerAt).toBeLessThan(mainCode.indexOf('app.whenReady()'));
    expect(mainCode).toMatch(/privileges: \{ standard: true, secure: true, supportFetchAPI: true \}/);
    expect(mainCode).not.toMatch(/bypassCSP|corsEnabled/);
    expect(mainCode).toMatch(
      /protocol\.handle\(APP_SCHEME, \(request\) => handleAppRequest\(request, rendererRoot\)\)/,
    );
    expect(mainCode).toContain('app.enableSandbox()');
  });

  it('denies every permission request, check and device', () => {
    expect(mainCode).toContain('setPermissionRequestHandler(denyEveryPermissionRequest)');
    expect(mainCode).toContain('setPermissionCheckHandler(denyEveryPermissionCheck)');
    expect(mainCode).toContain('setDevicePermissionHandler(denyEveryDevicePermission)');
    expect(mainCode).toMatch(/onBeforeRequest\([\s\S]*?isOutgoingRequestAllowed/);
  });

  it('applies the navigation policy to every web contents', () => {
    expect(mainCode).toMatch(
      /app\.on\('web-contents-created', \(_event, contents\) => hardenWebContents\(contents\)\)/,
    );
    for (const event of ['will-navigate', 'will-frame-navigate', 'will-redirect']) {
      expect(mainCode).toMatch(
        new RegExp(
          `contents\\.on\\('${event}', \\(event\\) => \\{\\s*if \\(!isNavigationAllowed\\(event\\.url\\)\\) event\\.preventDefault\\(\\);`,
        ),
      );
    }
    expect(mainCode).toMatch(/contents\.on\('will-attach-webview', \(event\) => event\.preventDefault\(\)\)/);
    expect(mainCode).toMatch(/contents\.setWindowOpenHandler\([\s\S]*?windowOpenDecision\(url\)/);
  });

  it('builds the only window from the pure window options and loads the app origin', () => {
    expect(count(mainCode, 'new BrowserWindow(')).toBe(1);
    expect(mainCode).toMatch(/new BrowserWindow\(\s*mainWindowOptions\(/);
    expect(mainCode).toContain("window.once('ready-to-show', () => window.show())");
    expect(mainCode).toContain('window.loadURL(APP_ENTRY_URL)');
  });

  it('has exactly one IPC entry point, behind the sender-checking wrapper', () => {
    expect(count(mainCode, /ipcMain\.\w+\(/g)).toBe(1);
    expect(mainCode).toMatch(/ipcMain\.handle\(\s*INVOKE_CHANNEL,\s*createInvokeHandler\(/);
    expect(mainCode).toMatch(/isTrustedSender\(frame\)\) frame\.send\(EVENT_CHANNEL, event\)/);
  });

  it('opens links only through the allowlisting wrapper', () => {
    expect(count(mainCode, /\.openExternal\(/g)).toBe(2);
    expect(mainCode).toContain('createSafeShell((url) => shell.openExternal(url))');
    expect(mainCode).toContain('safeShell.openExternal(url)');
  });

  it('closes the core on quit and loads the Electron build of the database module', () => {
    expect(mainCode).toMatch(/app\.on\('will-quit', \(\) => \{\s*core\?\.close\(\)/);
    expect(mainCode).toMatch(/createCore\(\{[\s\S]*?nativeBinding,/);
    expect(mainCode).toMatch(/if \(!existsSync\(nativeBinding\)\) \{\s*dialog\.showErrorBox/);
  });

  it.each([
    /nodeIntegration:\s*true/,
    /contextIsolation:\s*false/,
    /sandbox:\s*false/,
    /webSecurity:\s*false/,
    /@electron\/remote|\bremote\b/,
    /allowRunningInsecureContent:\s*true/,
    /openDevTools/,
    /registerFileProtocol|interceptFileProtocol/,
    /loadFile\(|file:\/\//,
  ])('contains no %s', (pattern) => {
    expect(mainCode).not.toMatch(pattern);
  });
});

describe('electron/preload/preload.ts', () => {
  it('exposes one object, window.bridge, with exactly invoke and onEvent', () => {
    expect(count(preloadCode, 'exposeInMainWorld(')).toBe(1);
    expect(preloadCode).toContain("contextBridge.exposeInMainWorld('bridge', bridge)");
    const bridgeLiteral = /const bridge: Bridge = \{([\s\S]*?)\n\};/.exec(preloadCode)?.[1] ?? '';
    const topLevelKeys = [...bridgeLiteral.matchAll(/^ {2}(\w+)[(:]/gm)].map((match) => match[1]);
    expect(topLevelKeys).toEqual(['invoke', 'onEvent']);
  });

  it('uses only the two channels and never forwards the IPC event object', () => {
    expect(preloadCode).toMatch(/ipcRenderer\.invoke\(INVOKE_CHANNEL, method, input\)/);
    expect(preloadCode).toMatch(/\(_event: IpcRendererEvent, payload: CoreEvent\) => listener\(payload\)/);
    expect(preloadCode).not.toMatch(/ipcRenderer\.(send|sendSync|sendToHost|postMessage)\(/);
    expect(preloadCode).not.toMatch(/\bremote\b|require\(|process\./);
  });
});
