import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..', '..');
const require = createRequire(import.meta.url);

interface BuilderConfig {
  appId: string;
  productName: string;
  electronVersion: string;
  directories: { output: string };
  files: string[];
  extraResources: Array<{ from: string; to: string }>;
  asar: boolean;
  npmRebuild: boolean;
  nodeGypRebuild: boolean;
  electronFuses: Record<string, boolean>;
  linux: { target: string[]; icon: string; category: string; maintainer: string };
  win: { target: string[] };
  mac: { target: string[]; hardenedRuntime: boolean };
}

const config = require(join(root, 'build', 'electron-builder.config.cjs')) as BuilderConfig;
const electronVersion = (require('electron/package.json') as { version: string }).version;

describe('electron-builder configuration', () => {
  it('is accepted by electron-builder’s own schema', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, logger: unknown): Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(
      validateConfiguration(
        { ...config, linux: { ...config.linux, nonsense: true } },
        new DebugLogger(false),
      ),
    ).rejects.toThrow(/configuration\.linux/);
  });

  it('names the app and writes installers to release/', () => {
    expect(config.appId).toBe('com.steward.app');
    expect(config.productName).toBe('Steward');
    expect(config.directories.output).toBe('release');
    expect(config.electronVersion).toBe(electronVersion);
  });

  it('targets AppImage and deb on Linux, NSIS on Windows, dmg on macOS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.linux.maintainer).toMatch(/<.+@.+>/);
    expect(config.linux.category).toBeTruthy();
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('keeps the hardened runtime off unless signing is configured', () => {
    const signing = Boolean(process.env.CSC_LINK || process.env.CSC_NAME);
    expect(config.mac.hardenedRuntime).toBe(signing);
  });

  it('packs the app into an asar with the bundles, package.json and production modules only', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(expect.arrayContaining(['dist/**/*', 'package.json']));
    expect(config.files).not.toContain('**/*');
  });

  it('ships the Electron build of the database module instead of rebuilding node_modules', () => {
    expect(config.npmRebuild).toBe(false);
    expect(config.nodeGypRebuild).toBe(false);
    expect(config.extraResources).toContainEqual({
      from: join('.cache', 'electron-native', electronVersion, 'better_sqlite3.node'),
      to: 'native/better_sqlite3.node',
    });
  });

  it('flips the fuses SECURITY.md asks for', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      enableCookieEncryption: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('has a 512x512 icon', () => {
    const icon = join(root, config.linux.icon);
    expect(existsSync(icon)).toBe(true);
    const png = readFileSync(icon);
    expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([512, 512]);
  });
});
