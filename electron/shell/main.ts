// The Electron main process. Deliberately thin: every decision that matters for security lives in a
// pure module beside this file and is unit-tested under Node; this file only wires them to Electron.
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, protocol, session, shell } from 'electron';
import type { MessageBoxOptions, MessageBoxReturnValue, WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Method } from '../../shared/api/contract';
import type { EventPayload } from '../../shared/api/events';
import { createCore, type Core } from '../core/core';
import { APP_ENTRY_URL, APP_SCHEME } from './app-origin';
import { handleAppRequest } from './app-protocol';
import { createInvokeHandler, EVENT_CHANNEL, INVOKE_CHANNEL, isTrustedSender } from './ipc-invoke';
import { applicationMenuTemplate } from './menu-template';
import { missingNativeBindingMessage, nativeBindingPath } from './native-binding';
import { isNavigationAllowed, isOutgoingRequestAllowed, windowOpenDecision } from './navigation-policy';
import { ChosenFiles, createDesktopFilePort } from './desktop-file-port';
import { createSafeShell } from './open-external';
import {
  denyEveryDevicePermission,
  denyEveryPermissionCheck,
  denyEveryPermissionRequest,
} from './permissions';
import { createVaultDialogPort } from './vault-dialog-port';
import { readVaultFolder, rememberVaultFolder } from './vault-folder-memory';
import { mainWindowOptions } from './window-options';

declare const __STEWARD_VERSION__: string;

// This bundle is dist/shell/main.cjs; the renderer and the preload are built beside it.
const rendererRoot = join(__dirname, '..', 'renderer');
const preloadPath = join(__dirname, '..', 'preload', 'preload.cjs');
const vaultWorkerPath = join(__dirname, '..', 'core', 'vault-worker.cjs');

// eslint-disable-next-line no-restricted-syntax -- the one place the real opener is handed to the allowlist.
const safeShell = createSafeShell((url) => shell.openExternal(url));

// Both must happen before 'ready'. Standard + secure gives app:// real origins and a secure context;
// corsEnabled and bypassCSP stay off, so no other origin can read the bundle and the CSP always applies.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.enableSandbox();

let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;

if (!app.requestSingleInstanceLock()) {
  // Two processes on one vault would fight over its lock file; the first one gets focused instead.
  app.quit();
} else {
  app.on('second-instance', focusMainWindow);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  // Quit with the last window on every platform, macOS included: an unlocked vault should not live on
  // in a process with no window.
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', () => {
    core?.close();
    core = null;
  });
  app.whenReady().then(startApp).catch(failToStart);
}

async function startApp(): Promise<void> {
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler(denyEveryPermissionRequest);
  defaultSession.setPermissionCheckHandler(denyEveryPermissionCheck);
  defaultSession.setDevicePermissionHandler(denyEveryDevicePermission);
  defaultSession.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isOutgoingRequestAllowed(details.url, { allowDevTools: !app.isPackaged }) });
  });
  protocol.handle(APP_SCHEME, (request) => handleAppRequest(request, rendererRoot));

  const nativeBinding = nativeBindingPath({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
    electronVersion: process.versions.electron ?? '',
  });
  if (!existsSync(nativeBinding)) {
    dialog.showErrorBox('Steward cannot start', missingNativeBindingMessage(nativeBinding, app.isPackaged));
    app.exit(1);
    return;
  }

  const userData = app.getPath('userData');
  let vaultFolder = readVaultFolder(userData);
  // Files the user picked in this session's dialogs: the only ones the desktop is asked to open.
  const chosenFiles = new ChosenFiles();
  const activeCore = createCore({
    vaultFolder,
    nativeBinding,
    appVersion: __STEWARD_VERSION__,
    vaultWorkerScript: vaultWorkerPath,
    ports: {
      dialogs: createVaultDialogPort(
        (options) =>
          mainWindow ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options),
        (options) =>
          mainWindow ? dialog.showSaveDialog(mainWindow, options) : dialog.showSaveDialog(options),
        () => vaultFolder,
        (path) => chosenFiles.remember(path),
      ),
      files: createDesktopFilePort(
        (path) => shell.openPath(path),
        (path) => shell.showItemInFolder(path),
        chosenFiles,
      ),
    },
  });
  core = activeCore;

  activeCore.onEvent((event) => {
    if (event.name === 'vault.changed') {
      const { folder } = event.payload as EventPayload<'vault.changed'>;
      if (folder !== vaultFolder) {
        vaultFolder = folder;
        try {
          rememberVaultFolder(userData, folder);
        } catch {
          // Not remembering the folder only costs a choice at the next start; the vault is unaffected.
        }
      }
    }
    // Events carry vault data: they go to the main frame only while it still shows the app.
    const frame = mainWindow && !mainWindow.isDestroyed() ? mainWindow.webContents.mainFrame : null;
    if (frame && isTrustedSender(frame)) frame.send(EVENT_CHANNEL, event);
  });

  ipcMain.handle(
    INVOKE_CHANNEL,
    createInvokeHandler((method, input) => activeCore.dispatch(method, input)),
  );

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      applicationMenuTemplate(
        {
          newVault: () => runMenuAction('vault.chooseFolder', { purpose: 'create' }),
          openVault: () => runMenuAction('vault.chooseFolder', { purpose: 'open' }),
          lockVault: () => runMenuAction('vault.lock', {}),
          showAbout,
        },
        { isPackaged: app.isPackaged, platform: process.platform },
      ),
    ),
  );

  createMainWindow();
}

function createMainWindow(): void {
  const window = new BrowserWindow(
    mainWindowOptions({
      preloadPath,
      isPackaged: app.isPackaged,
      prefersDarkTheme: nativeTheme.shouldUseDarkColors,
    }),
  );
  mainWindow = window;
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
  });
  void window.loadURL(APP_ENTRY_URL);
}

/** Applied to every web contents the app ever creates, so no window or frame escapes the policy. */
function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!isNavigationAllowed(event.url)) event.preventDefault();
  });
  // Steward has no use for <webview>; webviewTag is off too, this refuses it even if that ever changed.
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url);
    if (decision.openExternally) void safeShell.openExternal(url);
    return { action: decision.action };
  });
}

function focusMainWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** Menu commands go through the same dispatch as the renderer; a failure is shown, never swallowed. */
function runMenuAction(method: Method, input: unknown): void {
  const activeCore = core;
  if (!activeCore) return;
  void activeCore.dispatch(method, input).then((result) => {
    if (!result.ok && result.error.code !== 'CANCELLED') {
      void showMessage({ type: 'error', title: 'Steward', message: result.error.message });
    }
  });
}

function showAbout(): void {
  void showMessage({
    type: 'info',
    title: 'About Steward',
    message: `Steward ${__STEWARD_VERSION__}`,
    detail:
      'Offline access reviews for machine and non-human identities.\n\n' +
      `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
    buttons: ['OK'],
  });
}

function showMessage(options: MessageBoxOptions): Promise<MessageBoxReturnValue> {
  return mainWindow ? dialog.showMessageBox(mainWindow, options) : dialog.showMessageBox(options);
}

function failToStart(error: unknown): void {
  const detail = error instanceof Error ? error.message : String(error);
  dialog.showErrorBox(
    'Steward cannot start',
    `${detail}\n\nRestart Steward; if this keeps happening, reinstall it.`,
  );
  app.exit(1);
}
