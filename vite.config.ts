import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './shared/security/content-security-policy';

const rendererRoot = fileURLToPath(new URL('./renderer', import.meta.url));
const rendererOutDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));

/**
 * Writes the renderer's Content-Security-Policy into index.html as a meta tag, so the policy travels
 * with the build whatever serves it (app:// in Electron, a routed page in the Playwright tests).
 * Build only: the dev server needs an inline React Refresh preamble and a websocket, both of which the
 * policy forbids on purpose.
 */
function contentSecurityPolicyMeta(): Plugin {
  return {
    name: 'steward-content-security-policy',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
          injectTo: 'head-prepend',
        },
      ],
    },
  };
}

export default defineConfig({
  root: rendererRoot,
  // Relative asset URLs: the build is loaded from app:// in Electron and from a routed origin in tests.
  base: './',
  plugins: [react(), contentSecurityPolicyMeta()],
  build: {
    outDir: rendererOutDir,
    emptyOutDir: true,
    // Every asset stays a file: the policy allows no data: fonts, and files are what 'self' covers.
    assetsInlineLimit: 0,
    // Chromium supports modulepreload natively; the polyfill would only add code that calls fetch.
    modulePreload: { polyfill: false },
    target: 'chrome130',
    // zxcvbn and its dictionaries are one lazily loaded chunk of about 1.7 MB, fetched by passphrase forms only.
    chunkSizeWarningLimit: 1800,
  },
});
