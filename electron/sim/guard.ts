// Who may talk to the simulator. It listens on loopback only; these checks add that a web page open
// in a browser on the same machine cannot use it either: a DNS-rebinding page reaches 127.0.0.1
// under its own name (so its Host is foreign), and a page of another site sends its Origin or
// `Sec-Fetch-Site: cross-site`. Non-browser clients (Outpost's clients, hcloud, curl) send a
// loopback Host and neither of the others, so they pass.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** The header that carries the per-run control secret of an embedded simulator. */
export const CONTROL_SECRET_HEADER = 'x-sim-secret';

const LOOPBACK_AUTHORITY = /^(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\]):(\d{1,5})$/;

const isOurAuthority = (authority: string, port: number) => LOOPBACK_AUTHORITY.exec(authority.toLowerCase())?.[1] === String(port);

/** Why a request from a browser page must not be served, or null when nothing speaks against it. */
export function foreignCaller(headers: IncomingHttpHeaders, port: number): string | null {
  if (!headers.host || !isOurAuthority(headers.host, port)) return 'the Host header must name this simulator on a loopback address';
  const origin = headers.origin;
  if (origin !== undefined && !(origin.toLowerCase().startsWith('http://') && isOurAuthority(origin.slice('http://'.length), port))) {
    return 'requests from another origin are refused';
  }
  const site = headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'cross-site requests are refused';
  return null;
}

export function controlSecretMatches(candidate: string | string[] | undefined, secret: string): boolean {
  if (typeof candidate !== 'string') return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
