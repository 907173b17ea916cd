// The one-time sign-in link `outpost users add` prints: `<base-url>/invite#<token>`. The token is in the
// fragment on purpose: a browser never sends the part after `#`, so the token reaches no server access
// log, no reverse proxy's log and no Referer header; the invite page reads it with script and posts it.
import { OutpostError } from '../../../shared/errors';

/**
 * The link for `token` under the server's public address `baseUrl` (http or https, no credentials,
 * query or fragment; a path prefix is kept for a server behind a proxy at /outpost/). invalid_input
 * naming `base-url` otherwise.
 */
export function inviteLink(baseUrl: string, token: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw badBase('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badBase('must start with https:// (or http:// on a trusted network)');
  if (url.username || url.password) throw badBase('must not carry a user name or password');
  if (url.search || url.hash) throw badBase('must not have a query (?) or a fragment (#)');
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path}/invite#${token}`;
}

const badBase = (problem: string) =>
  new OutpostError('invalid_input', `base-url: ${problem}.`, { hint: 'Give the address people open the team server at, e.g. https://outpost.example.com' });
