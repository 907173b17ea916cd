// How a team server may listen, decided before anything starts. Passwords and session cookies cross
// this connection, so it is HTTPS from the server itself (certificate and key files), or plain HTTP
// only where nothing but a reverse proxy on the same host can reach it: a loopback address, with the
// proxy named in --trust-proxy (it terminates TLS and says who the client is). Anything else is
// refused with the options that would make it right.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { createSecureContext } from 'node:tls';
import { OutpostError } from '../../../shared/errors';
import { normalizeAddress, parseTrustProxy, type ProxyTrust } from './trust-proxy';

export interface TeamListenOptions {
  host: string;
  port: number;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  /** --trust-proxy, each value a comma-separated list. */
  trustProxy?: readonly string[] | undefined;
  /** --public-url: the address people open (the reverse proxy's, when there is one). */
  publicUrl?: string | undefined;
}

export interface ListenPlan {
  host: string;
  port: number;
  /** PEM certificate chain and key, or null for plain HTTP on loopback behind a trusted proxy. */
  tls: { cert: Buffer; key: Buffer } | null;
  trust: ProxyTrust | null;
  /** The public URL without a trailing slash, or null when it is to be https://<host>:<port> once the port is known. */
  publicUrl: string | null;
}

const PROXY_EXAMPLE = '--host 127.0.0.1 --trust-proxy 127.0.0.1 --public-url https://outpost.example.com';

/** 127.0.0.0/8, ::1 and `localhost`: reachable from this host only. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const ip = normalizeAddress(host);
  if (!ip) return false;
  return isIP(ip) === 4 ? ip.startsWith('127.') : ip === '::1';
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

function readPem(option: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new OutpostError('invalid_input', `${option}: ${file} ${reason}.`, { hint: 'Give the path of a PEM file the server\'s user may read.' });
  }
}

/** The public URL, checked: https, no user, query or fragment; returned without a trailing slash. */
export function checkPublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badPublicUrl('is not a URL');
  }
  if (url.protocol !== 'https:') throw badPublicUrl('must start with https:// (session cookies are sent over HTTPS only)');
  if (url.username || url.password) throw badPublicUrl('must not carry a user name or password');
  if (url.search || url.hash) throw badPublicUrl('must not have a query (?) or a fragment (#)');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

const badPublicUrl = (problem: string) =>
  new OutpostError('invalid_input', `--public-url: ${problem}.`, { hint: 'Give the address people open the team server at, e.g. --public-url https://outpost.example.com' });

export function planListen(options: TeamListenOptions): ListenPlan {
  const { host, port } = options;
  if ((options.tlsCert === undefined) !== (options.tlsKey === undefined)) {
    throw new OutpostError('invalid_input', `${options.tlsCert === undefined ? '--tls-cert' : '--tls-key'} is missing: HTTPS needs both the certificate and its key.`, {
      hint: 'Pass --tls-cert FILE and --tls-key FILE (PEM), or serve plain HTTP on loopback behind a reverse proxy: ' + PROXY_EXAMPLE,
    });
  }
  const trust = options.trustProxy && options.trustProxy.length > 0 ? parseTrustProxy(options.trustProxy) : null;
  const publicUrl = options.publicUrl === undefined ? null : checkPublicUrl(options.publicUrl);
  if (options.tlsCert !== undefined && options.tlsKey !== undefined) {
    const tls = { cert: readPem('--tls-cert', options.tlsCert), key: readPem('--tls-key', options.tlsKey) };
    try {
      createSecureContext(tls);
    } catch {
      // OpenSSL's reason may quote the file; the key file's content must never reach a message.
      throw new OutpostError('invalid_input', '--tls-cert/--tls-key: the files are not a PEM certificate and its matching private key.', {
        hint: 'Check that the key belongs to the certificate (openssl x509 -noout -pubkey -in CERT; openssl pkey -pubout -in KEY) and that the key is not passphrase-protected.',
      });
    }
    if (publicUrl === null && WILDCARDS.has(host)) {
      throw new OutpostError('invalid_input', `--public-url is needed with --host ${host}: the server cannot know the name people reach it by.`, {
        hint: 'Pass --public-url https://outpost.example.com (the name in the certificate).',
      });
    }
    return { host, port, tls, trust, publicUrl };
  }
  if (!isLoopbackHost(host)) {
    throw new OutpostError('invalid_input', `Plain HTTP on ${host} is refused: passwords and session cookies would cross the network unencrypted.`, {
      hint: `Pass --tls-cert FILE --tls-key FILE to serve HTTPS, or put a TLS reverse proxy in front: ${PROXY_EXAMPLE}`,
    });
  }
  if (!trust) {
    throw new OutpostError('invalid_input', 'Plain HTTP needs --trust-proxy: it is served only to a reverse proxy that terminates TLS.', {
      hint: `Name the proxy's address, e.g. ${PROXY_EXAMPLE} (or pass --tls-cert and --tls-key to serve HTTPS yourself).`,
    });
  }
  if (publicUrl === null) {
    throw new OutpostError('invalid_input', 'Behind a reverse proxy, --public-url is needed: the https:// address people open.', {
      hint: `E.g. ${PROXY_EXAMPLE}`,
    });
  }
  return { host, port, tls: null, trust, publicUrl };
}
