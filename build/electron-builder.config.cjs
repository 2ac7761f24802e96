// electron-builder configuration, used by `npm run dist` (build/dist.mjs).
const { join } = require('node:path');

const electronVersion = require('electron/package.json').version;

/**
 * The Electron build of the database addon. electron-builder must not rebuild native modules
 * (npmRebuild: false): that would overwrite the Node build in node_modules that the CLI and the tests
 * load. build/electron-native.mjs builds it into .cache/ and it ships as a resource, where
 * electron/shell/native-binding.ts looks for it.
 */
const electronNativeBinding = join('.cache', 'electron-native', electronVersion, 'better_sqlite3.node');

/**
 * Electron fuses, flipped in the packaged binary (SECURITY.md). Off: running the binary as plain Node,
 * NODE_OPTIONS, --inspect, file:// extra privileges. On: cookie encryption, asar integrity, and loading
 * the app only from that validated asar.
 */
const electronFuses = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  enableCookieEncryption: true,
  grantFileProtocolExtraPrivileges: false,
  loadBrowserProcessSpecificV8Snapshot: false,
};

/** Signing is configured through electron-builder's CSC_* variables; a hardened runtime needs it. */
const macSigning = Boolean(process.env.CSC_LINK || process.env.CSC_NAME);

/** @type {import('electron-builder').Configuration} */
module.exports = {
  appId: 'com.steward.app',
  productName: 'Steward',
  copyright: 'Copyright © Steward contributors',
  electronVersion,
  directories: { output: 'release', buildResources: 'build' },
  files: [
    'dist/**/*',
    '!dist/**/*.map',
    'package.json',
    // Production dependencies come along automatically; the addon's Node build and sources do not
    // belong in the app (its Electron build is the extra resource below).
    '!node_modules/better-sqlite3-multiple-ciphers/{build,deps,src}/**/*',
  ],
  extraResources: [{ from: electronNativeBinding, to: 'native/better_sqlite3.node' }],
  asar: true,
  npmRebuild: false,
  nodeGypRebuild: false,
  buildDependenciesFromSource: false,
  electronFuses,
  linux: {
    target: ['AppImage', 'deb'],
    icon: 'build/icons/icon.png',
    category: 'Office',
    executableName: 'steward',
    synopsis: 'Offline access reviews for machine identities',
    description:
      'Access reviews for service accounts, API keys and other non-human identities, with signed PDF evidence.',
    // Placeholder until the project has a public contact; deb packages require a maintainer.
    maintainer: 'Steward maintainers <steward@example.org>',
  },
  deb: { packageCategory: 'utils', priority: 'optional' },
  win: { target: ['nsis'], icon: 'build/icons/icon.png' },
  nsis: { oneClick: false, perMachine: false, allowToChangeInstallationDirectory: true },
  mac: {
    target: ['dmg'],
    icon: 'build/icons/icon.png',
    category: 'public.app-category.business',
    hardenedRuntime: macSigning,
    ...(macSigning ? {} : { identity: null }),
  },
};
