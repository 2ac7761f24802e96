import { join } from 'node:path';

/** File name of the compiled better-sqlite3-multiple-ciphers addon. */
export const NATIVE_BINDING_FILE = 'better_sqlite3.node';

export interface NativeBindingLocation {
  isPackaged: boolean;
  /** `process.resourcesPath` (packaged builds). */
  resourcesPath: string;
  /** The repository folder in development (`app.getAppPath()`). */
  appPath: string;
  /** `process.versions.electron`. */
  electronVersion: string;
}

/**
 * Where the Electron build of the database addon is. node_modules holds the build for Node (the CLI
 * and the tests use it); Electron has its own ABI, so the app loads a separate build:
 * shipped as an extra resource when packaged, built by `npm start` into .cache/ in development.
 */
export function nativeBindingPath(location: NativeBindingLocation): string {
  return location.isPackaged
    ? join(location.resourcesPath, 'native', NATIVE_BINDING_FILE)
    : join(location.appPath, '.cache', 'electron-native', location.electronVersion, NATIVE_BINDING_FILE);
}

/** The message of the dialog shown when that file is missing, saying what to do about it. */
export function missingNativeBindingMessage(path: string, isPackaged: boolean): string {
  return isPackaged
    ? `Steward cannot open its database engine: ${path} is missing. The installation is incomplete; ` +
        'reinstall Steward.'
    : `Steward cannot open its database engine: ${path} is missing. Start the app with \`npm start\`, ` +
        'which builds it for this Electron version.';
}
