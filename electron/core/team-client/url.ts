// Where a team server is, as the desktop saves it: an origin, nothing more. HTTPS only — the API
// token travels in every request — except plain HTTP to this machine's loopback (tests, or a local
// TLS-terminating proxy). Parsed where it enters core (team:connect), so nothing else sees a raw string.
import { OutpostError } from '../../../shared/errors';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

const refuse = (message: string) =>
  new OutpostError('invalid_input', `url: ${message}`, { hint: 'Enter the team server\'s address, e.g. https://outpost.example.com (ask whoever runs `outpost serve`). Nothing was changed.' });

/** The server's origin (`https://host[:port]`), or a typed refusal saying what is wrong with `raw`. */
export function parseTeamUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw refuse('this is not a web address.');
  }
  if (url.username || url.password) throw refuse('an address with a user name or password in it is not accepted (sign in with an API token instead).');
  if (url.search || url.hash) throw refuse('an address with a query or fragment is not accepted.');
  if (url.pathname !== '/' && url.pathname !== '') throw refuse('give the server\'s address without a path.');
  if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) throw refuse('use https:// — the API token must not travel in the clear (http:// is only for 127.0.0.1 and localhost).');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw refuse('use https://.');
  return url.origin;
}

/** How messages name the server: its host (and port), never a path or a token. */
export const serverName = (origin: string): string => {
  try {
    return new URL(origin).host;
  } catch {
    return 'the team server';
  }
};
