// Who may talk to browser mode. The server binds 127.0.0.1 only; these checks add that the caller
// knows this run's secret and is a page of ours, so another site open in the same browser, or a
// DNS-rebinding page that resolves its own name to 127.0.0.1, cannot call it.
import { timingSafeEqual } from 'node:crypto';

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]'];

/** The Host header must name a loopback host and our port: a rebinding page sends its own name. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return LOOPBACK_HOSTS.some((name) => host.toLowerCase() === `${name}:${port}`);
}

/** Origin is absent for same-origin GETs and non-browser clients; when present it must be ours. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return LOOPBACK_HOSTS.some((name) => origin.toLowerCase() === `http://${name}:${port}`);
}

/** `Sec-Fetch-Site` from a modern browser tells cross-site requests apart even without Origin. */
export function isAllowedFetchSite(site: string | undefined): boolean {
  return site === undefined || site === 'same-origin' || site === 'none';
}

export function secretMatches(candidate: string, secret: string): boolean {
  const a = Buffer.from(candidate);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}
