// One Content-Security-Policy for every way the UI is served: the app:// protocol in Electron,
// browser mode's HTTP server, and the meta tag in renderer/index.html (checked by a test).
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');
