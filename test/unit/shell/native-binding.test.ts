import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingNativeBindingMessage, nativeBindingPath } from '../../../electron/shell/native-binding';

describe('native database binding location', () => {
  it('is shipped as an extra resource in a packaged app', () => {
    expect(
      nativeBindingPath({
        isPackaged: true,
        resourcesPath: '/opt/Steward/resources',
        appPath: '/opt/Steward/resources/app.asar',
        electronVersion: '45.4.1',
      }),
    ).toBe(join('/opt/Steward/resources', 'native', 'better_sqlite3.node'));
  });

  it('is the per-Electron-version build in .cache during development', () => {
    expect(
      nativeBindingPath({
        isPackaged: false,
        resourcesPath: '/x',
        appPath: '/work/steward',
        electronVersion: '45.4.1',
      }),
    ).toBe(join('/work/steward', '.cache', 'electron-native', '45.4.1', 'better_sqlite3.node'));
  });

  it('tells the user what to do when it is missing', () => {
    expect(missingNativeBindingMessage('/p/better_sqlite3.node', true)).toMatch(/reinstall Steward/);
    expect(missingNativeBindingMessage('/p/better_sqlite3.node', false)).toMatch(/npm start/);
  });
});
