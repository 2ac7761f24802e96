import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  newVault(): void;
  openVault(): void;
  lockVault(): void;
  showAbout(): void;
}

export interface MenuContext {
  isPackaged: boolean;
  platform: NodeJS.Platform;
}

/**
 * The application menu. Vault actions go through the core like every renderer request; DevTools and
 * reload exist only in development, because a packaged build must not offer a console into the
 * renderer that holds the unlocked vault's data.
 */
export function applicationMenuTemplate(
  actions: MenuActions,
  context: MenuContext,
): MenuItemConstructorOptions[] {
  const isMac = context.platform === 'darwin';
  const developmentItems: MenuItemConstructorOptions[] = context.isPackaged
    ? []
    : [{ type: 'separator' }, { role: 'reload' }, { role: 'toggleDevTools' }];

  return [
    ...(isMac ? [{ role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    {
      label: '&File',
      submenu: [
        { label: 'New vault…', accelerator: 'CmdOrCtrl+Shift+N', click: () => actions.newVault() },
        { label: 'Open vault…', accelerator: 'CmdOrCtrl+O', click: () => actions.openVault() },
        { type: 'separator' },
        { label: 'Lock', accelerator: 'CmdOrCtrl+L', click: () => actions.lockVault() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [{ role: 'togglefullscreen' }, ...developmentItems],
    },
    {
      label: '&Help',
      submenu: [{ label: 'About Steward', click: () => actions.showAbout() }],
    },
  ];
}
