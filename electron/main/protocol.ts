// The app:// scheme: the renderer is served from out/renderer instead of file:// (anchors §4 item 18),
// every response carries the CSP header, and no URL can reach a file outside the root.
import { realpath, readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { protocol as electronProtocol, type Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { contentTypeFor, resolveInside } from '../core/safe-path';
import { APP_HOST, APP_SCHEME } from './origin';

/** Must run before app 'ready': Chromium fixes scheme privileges at startup. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'> = electronProtocol): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

const baseHeaders = (contentType: string): Record<string, string> => ({
  'Content-Type': contentType,
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
});

const refuse = (status: number, text: string): Response =>
  new Response(text, { status, headers: baseHeaders('text/plain; charset=utf-8') });

const isInside = (root: string, file: string): boolean => {
  const rel = relative(root, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

/** One request to app://outpost/… → a file under `rootDir`, or 403/404/405. Pure enough to unit-test. */
export async function serveAppRequest(request: Pick<Request, 'url' | 'method'>, rootDir: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'Method not allowed');
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return refuse(400, 'Bad request');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '') {
    return refuse(404, 'Not found');
  }
  const path = url.pathname === '/' || url.pathname === '' ? '/index.html' : url.pathname;
  // resolveInside decodes once and refuses `..`, double encoding, backslashes and control bytes.
  const file = resolveInside(rootDir, path);
  if (file === null) return refuse(403, 'Forbidden');
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(file), realpath(rootDir)]);
  } catch {
    return refuse(404, 'Not found');
  }
  // A symlink inside the root may point anywhere; judge where it lands, not where it sits.
  if (!isInside(realRoot, real)) return refuse(403, 'Forbidden');
  try {
    if (!(await stat(real)).isFile()) return refuse(404, 'Not found');
    const body = request.method === 'HEAD' ? null : new Uint8Array(await readFile(real));
    return new Response(body, { status: 200, headers: baseHeaders(contentTypeFor(real)) });
  } catch {
    return refuse(404, 'Not found');
  }
}

/** Serves out/renderer on app://outpost. Call after app 'ready'. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rootDir: string): void {
  protocol.handle(APP_SCHEME, (request) => serveAppRequest(request, rootDir));
}
