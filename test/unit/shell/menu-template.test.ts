import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { applicationMenuTemplate, type MenuActions } from '../../../electron/shell/menu-template';

function actions(): MenuActions {
  return { newVault: vi.fn(), openVault: vi.fn(), lockVault: vi.fn(), showAbout: vi.fn() };
}

function submenu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.label === label);
  if (!menu || !Array.isArray(menu.submenu)) throw new Error(`no ${label} menu`);
  return menu.submenu;
}

function item(items: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions {
  const found = items.find((entry) => entry.label === label);
  if (!found) throw new Error(`no ${label} item`);
  return found;
}

function click(entry: MenuItemConstructorOptions): void {
  (entry.click as () => void)();
}

describe('application menu', () => {
  it('wires File > New vault, Open vault and Lock to their actions, and has Quit', () => {
    const handlers = actions();
    const file = submenu(applicationMenuTemplate(handlers, { isPackaged: true, platform: 'linux' }), '&File');
    click(item(file, 'New vault…'));
    click(item(file, 'Open vault…'));
    click(item(file, 'Lock'));
    expect(handlers.newVault).toHaveBeenCalledOnce();
    expect(handlers.openVault).toHaveBeenCalledOnce();
    expect(handlers.lockVault).toHaveBeenCalledOnce();
    expect(file.some((entry) => entry.role === 'quit')).toBe(true);
  });

  it('has the standard Edit roles', () => {
    const edit = submenu(
      applicationMenuTemplate(actions(), { isPackaged: true, platform: 'linux' }),
      '&Edit',
    );
    expect(edit.map((entry) => entry.role).filter(Boolean)).toEqual([
      'undo',
      'redo',
      'cut',
      'copy',
      'paste',
      'delete',
      'selectAll',
    ]);
  });

  it('offers no DevTools or reload in a packaged build', () => {
    const view = submenu(
      applicationMenuTemplate(actions(), { isPackaged: true, platform: 'linux' }),
      '&View',
    );
    expect(view.map((entry) => entry.role)).toEqual(['togglefullscreen']);
  });

  it('offers DevTools in development', () => {
    const view = submenu(
      applicationMenuTemplate(actions(), { isPackaged: false, platform: 'linux' }),
      '&View',
    );
    expect(view.map((entry) => entry.role)).toContain('toggleDevTools');
  });

  it('shows About from Help', () => {
    const handlers = actions();
    const help = submenu(applicationMenuTemplate(handlers, { isPackaged: true, platform: 'win32' }), '&Help');
    click(item(help, 'About Steward'));
    expect(handlers.showAbout).toHaveBeenCalledOnce();
  });

  it('follows macOS conventions there: an app menu first', () => {
    const template = applicationMenuTemplate(actions(), { isPackaged: true, platform: 'darwin' });
    expect(template[0]?.role).toBe('appMenu');
  });
});
