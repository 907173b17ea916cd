// What counts as "our page". Navigation guards, the IPC sender check and the protocol handler all
// ask this one module, and they compare parsed URLs, never string prefixes.
export const APP_SCHEME = 'app';
export const APP_HOST = 'outpost';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

function parse(raw: unknown): URL | null {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 4096) return null;
  try {
    return new URL(raw);
  } catch {
    return null;
  }
}

/**
 * The origin of the electron-vite dev server, or null. Only unpackaged builds honour it, and only
 * on loopback over http, so an environment variable cannot point a shipped app at a remote page.
 */
export function devServerOrigin(rawUrl: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged) return null;
  const url = parse(rawUrl);
  if (!url || url.protocol !== 'http:' || url.username !== '' || url.password !== '') return null;
  return LOOPBACK_HOSTS.has(url.hostname) ? url.origin : null;
}

/** True when `raw` is a page of the app: app://outpost/…, or the dev server in development. */
export function isAppUrl(raw: unknown, devOrigin: string | null = null): boolean {
  const url = parse(raw);
  if (!url) return false;
  if (url.protocol === `${APP_SCHEME}:`) {
    // Node parses app: as a non-special scheme, so `host` carries any port; requiring the bare
    // host rejects app://outpost:1/, app://outpost.evil/, app://x@outpost/ alike.
    return url.host === APP_HOST && url.username === '' && url.password === '';
  }
  return devOrigin !== null && url.protocol === 'http:' && url.origin === devOrigin;
}

/** The parts of Electron's WebFrameMain the sender check reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: unknown;
}

export type SenderCheck = (frame: SenderFrame | null | undefined) => boolean;

/** IPC may come only from the top frame of an app page: no null frame, no iframe, no other origin. */
export function createSenderCheck(devOrigin: string | null = null): SenderCheck {
  return (frame) => {
    if (frame === null || frame === undefined) return false;
    try {
      return frame.parent === null && isAppUrl(frame.url, devOrigin);
    } catch {
      // A frame disposed mid-call throws on access; it is certainly not trusted.
      return false;
    }
  };
}
