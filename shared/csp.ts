// One Content-Security-Policy for every way the UI is served: the app:// protocol in Electron,
// browser mode's HTTP server, and the meta tag in renderer/index.html (checked by a test).
const DIRECTIVES = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
];

/** For the <meta> tag: browsers ignore (and warn about) frame-ancestors there. */
export const META_CONTENT_SECURITY_POLICY = DIRECTIVES.join('; ');

/** For response headers (app:// and browser mode), where frame-ancestors does apply. */
export const CONTENT_SECURITY_POLICY = [...DIRECTIVES, "frame-ancestors 'none'"].join('; ');
