/**
 * The renderer's Content-Security-Policy, sent as a header by the app:// protocol and written as a
 * meta tag into index.html at build time (SECURITY.md). No inline script or style, no eval, no network.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
