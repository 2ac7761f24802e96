import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * Window background before the renderer paints, per theme, so the first frame does not flash. Kept
 * equal to `--color-canvas` in renderer/src/styles/theme.css.
 */
export const WINDOW_BACKGROUND = { light: '#f5f6f8', dark: '#0f1216' } as const;

export interface MainWindowOptionsInput {
  /** Absolute path of dist/preload/preload.cjs. */
  preloadPath: string;
  /** Packaged builds get no DevTools at all. */
  isPackaged: boolean;
  prefersDarkTheme: boolean;
}

/**
 * The main window's options. Every renderer safeguard is stated explicitly, even where it is already
 * Electron's default, so a changed default or a careless edit shows up in the unit test.
 */
export function mainWindowOptions(input: MainWindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    title: 'Steward',
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    // Shown on ready-to-show, so the user never sees an empty white window.
    show: false,
    backgroundColor: input.prefersDarkTheme ? WINDOW_BACKGROUND.dark : WINDOW_BACKGROUND.light,
    webPreferences: {
      preload: input.preloadPath,
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
      devTools: !input.isPackaged,
    },
  };
}
