// Which peers' forwarding headers are believed (--trust-proxy). Behind a reverse proxy every request
// comes from the proxy's address; the client's own is in X-Forwarded-For, a header anyone can send.
// So it is read only when the connection comes from a listed proxy, and then from the right: each hop
// appends the address it saw, so the rightmost entry not itself a listed proxy is the client. A client
// that puts its own X-Forwarded-For in front only adds entries to the left of that, which are never read.
import { BlockList, isIP } from 'node:net';
import type { IncomingMessage } from 'node:http';
import { OutpostError } from '../../../shared/errors';

export interface ProxyTrust {
  /** The list as given, for messages. */
  readonly entries: readonly string[];
  trusts(address: string): boolean;
}

/** `::ffff:127.0.0.1` (an IPv4 peer on a dual-stack socket) is 127.0.0.1; anything not an address is null. */
export function normalizeAddress(raw: string | undefined): string | null {
  if (!raw) return null;
  let address = raw.trim();
  // An IPv6 entry may come bracketed, an IPv4 one with a port (some proxies write `203.0.113.9:5123`).
  if (address.startsWith('[') && address.includes(']')) address = address.slice(1, address.indexOf(']'));
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) address = mapped[1]!;
  return isIP(address) === 0 ? null : address.toLowerCase();
}

const badEntry = (entry: string) =>
  new OutpostError('invalid_input', `--trust-proxy: "${entry.slice(0, 64)}" is not an IP address or a CIDR range.`, {
    hint: 'List the reverse proxy\'s addresses, comma-separated: e.g. --trust-proxy 127.0.0.1 or --trust-proxy 10.0.0.0/24,::1 (or "loopback").',
  });

/**
 * Parses `--trust-proxy`: IPv4/IPv6 addresses and CIDR ranges, comma-separated (repeatable), and the
 * word `loopback` (127.0.0.0/8 and ::1). Refuses an empty list and anything else, naming the entry.
 */
export function parseTrustProxy(values: readonly string[]): ProxyTrust {
  const entries = values.flatMap((v) => v.split(',')).map((e) => e.trim()).filter((e) => e.length > 0);
  if (entries.length === 0) throw new OutpostError('invalid_input', '--trust-proxy: the list is empty.', { hint: 'Name the reverse proxy\'s address, e.g. --trust-proxy 127.0.0.1.' });
  const list = new BlockList();
  for (const entry of entries) {
    if (entry === 'loopback') {
      list.addSubnet('127.0.0.0', 8, 'ipv4');
      list.addAddress('::1', 'ipv6');
      continue;
    }
    const [address, prefix, extra] = entry.split('/');
    const ip = normalizeAddress(address);
    if (!ip || extra !== undefined || entry.includes('[')) throw badEntry(entry);
    const family = isIP(ip) === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) {
      list.addAddress(ip, family);
      continue;
    }
    const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (!(bits >= 0 && bits <= (family === 'ipv4' ? 32 : 128))) throw badEntry(entry);
    list.addSubnet(ip, bits, family);
  }
  return {
    entries,
    trusts(address: string): boolean {
      const ip = normalizeAddress(address);
      return ip !== null && list.check(ip, isIP(ip) === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

const headerValues = (value: string | string[] | undefined): string[] =>
  (Array.isArray(value) ? value : value === undefined ? [] : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v.length > 0);

/**
 * The client's address: the peer's, unless the peer is a trusted proxy; then the rightmost
 * X-Forwarded-For entry that is not a trusted proxy (or the leftmost, when every hop is trusted). An
 * entry that is no address ends the walk at the last address known good: a broken chain never lets a
 * client choose the address it is counted under.
 */
export function clientAddress(req: IncomingMessage, trust: ProxyTrust | null): string {
  const peer = normalizeAddress(req.socket.remoteAddress) ?? 'unknown';
  if (!trust || !trust.trusts(peer)) return peer;
  let client = peer;
  for (const entry of headerValues(req.headers['x-forwarded-for']).reverse()) {
    const ip = normalizeAddress(entry);
    if (!ip) return client;
    client = ip;
    if (!trust.trusts(ip)) return ip;
  }
  return client;
}

/** The scheme the client used, as a trusted proxy reports it (X-Forwarded-Proto, its last value), or null when not reported or not believed. */
export function forwardedProto(req: IncomingMessage, trust: ProxyTrust | null): string | null {
  if (!trust || !trust.trusts(req.socket.remoteAddress ?? '')) return null;
  const values = headerValues(req.headers['x-forwarded-proto']);
  return values.length > 0 ? values[values.length - 1]!.toLowerCase() : null;
}
