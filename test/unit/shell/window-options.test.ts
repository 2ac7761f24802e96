import { describe, expect, it } from 'vitest';
import { mainWindowOptions, WINDOW_BACKGROUND } from '../../../electron/shell/window-options';

describe('main window options', () => {
  const options = mainWindowOptions({
    preloadPath: '/app/dist/preload/preload.cjs',
    isPackaged: true,
    prefersDarkTheme: false,
  });

  it('keeps Node and Electron out of the renderer', () => {
    expect(options.webPreferences).toEqual({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      enableBlinkFeatures: '',
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: false,
    });
  });

  it('offers DevTools only in development', () => {
    const development = mainWindowOptions({
      preloadPath: '/p.cjs',
      isPackaged: false,
      prefersDarkTheme: false,
    });
    expect(development.webPreferences?.devTools).toBe(true);
    expect(options.webPreferences?.devTools).toBe(false);
  });

  it('stays hidden until the first paint, with a usable size and the theme background', () => {
    expect(options.show).toBe(false);
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth ?? 0);
    expect(options.height).toBeGreaterThanOrEqual(options.minHeight ?? 0);
    expect(options.minWidth).toBeGreaterThanOrEqual(800);
    expect(options.backgroundColor).toBe(WINDOW_BACKGROUND.light);
    const dark = mainWindowOptions({ preloadPath: '/p.cjs', isPackaged: true, prefersDarkTheme: true });
    expect(dark.backgroundColor).toBe(WINDOW_BACKGROUND.dark);
  });
});
