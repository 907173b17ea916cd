// Web-contents and session hardening (anchors §4 items 5, 11–15). The guards are pure functions so
// the unit tests can feed them attack URLs; the `harden*` functions only wire them to Electron events.
import type { App, Session, WebContents } from 'electron';
import type { Logger } from '../core/log';
import { isAppUrl } from './origin';

/** Hosts the UI may open in the operator's browser. Exact hostnames: no suffix or subdomain match. */
export const OPEN_EXTERNAL_HOSTS: readonly string[] = [
  'console.hetzner.cloud',
  'console.hetzner.com',
  'docs.hetzner.cloud',
  'login.tailscale.com',
  'tailscale.com',
  'github.com',
];

/**
 * The normalised URL to hand to the OS, or null when it must not be opened. Callers open the
 * returned href, not their input, so the OS sees exactly the URL that was checked.
 */
export function openExternalGuard(raw: unknown): string | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 2048) return null;
  // The URL parser silently drops tabs/newlines and reads `\` as `/`; an OS handler may not.
  // Refusing them keeps "what we checked" and "what gets opened" the same string.
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
  if (/[\s\u0000-\u001f\u007f-\u009f\\]/.test(raw)) return null;
  if (!/^https:\/\//i.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:') return null;
  if (url.username !== '' || url.password !== '') return null;
  if (url.port !== '') return null; // 443 normalises to '', anything else is non-default
  // The parser lower-cases and punycodes hostnames, so homographs arrive as xn--… and miss the list,
  // and a trailing dot survives as "github.com." and misses it too.
  if (!OPEN_EXTERNAL_HOSTS.includes(url.hostname)) return null;
  return url.href;
}

/** Navigation is allowed only within the app origin (and the dev server in development). */
export function isAllowedNavigation(raw: unknown, devOrigin: string | null): boolean {
  return isAppUrl(raw, devOrigin);
}

export interface HardeningOptions {
  devOrigin: string | null;
  /** Opens an already-guarded URL in the operator's browser. */
  openExternal: (url: string) => unknown;
  log?: Logger;
}

/** Deny every permission prompt and check: the UI needs none (no camera, notifications go via main). */
export function hardenSession(ses: Session): void {
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
}

const urlOf = (event: unknown, fallback: unknown): unknown => (event as { url?: unknown }).url ?? fallback;

/** For log lines: the origin is enough to diagnose, and a full URL may carry tokens in its query. */
const originOf = (raw: unknown): string => {
  try {
    return new URL(String(raw)).origin;
  } catch {
    return '<unparsable>';
  }
};

export function hardenWebContents(contents: WebContents, opts: HardeningOptions): void {
  const { devOrigin, openExternal, log } = opts;
  const toBrowser = (raw: unknown): void => {
    const safe = openExternalGuard(raw);
    if (safe !== null) void Promise.resolve(openExternal(safe)).catch(() => undefined);
    else log?.warn('refused to open an external URL', { origin: originOf(raw) });
  };

  contents.on('will-navigate', (event, url) => {
    const target = urlOf(event, url);
    if (isAllowedNavigation(target, devOrigin)) return;
    event.preventDefault();
    // A plain link to an allow-listed page is what the operator meant to open; send it to the browser.
    toBrowser(target);
  });
  // will-navigate covers the top frame; this catches iframes, which have no business leaving the app.
  contents.on('will-frame-navigate', (event) => {
    if (event.isMainFrame) return;
    if (!isAllowedNavigation(event.url, devOrigin)) {
      event.preventDefault();
      log?.warn('blocked frame navigation', { origin: originOf(event.url) });
    }
  });
  contents.on('will-redirect', (event, url) => {
    const target = urlOf(event, url);
    if (!isAllowedNavigation(target, devOrigin)) {
      event.preventDefault();
      log?.warn('blocked redirect', { origin: originOf(target) });
    }
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log?.warn('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    toBrowser(url);
    return { action: 'deny' };
  });
}

/** Hardens every web contents the app ever creates, before it loads anything. */
export function installWebContentsHardening(app: App, opts: HardeningOptions): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, opts));
}
