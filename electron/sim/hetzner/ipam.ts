import type { World } from '../world';

// Documentation ranges first (RFC 5737), then the benchmarking range (RFC 2544): addresses that
// look public but can never reach a real host if someone pastes them into ssh.
const POOLS: readonly { base: number; size: number }[] = [
  { base: ip4('203.0.113.0'), size: 256 },
  { base: ip4('198.51.100.0'), size: 256 },
  { base: ip4('192.0.2.0'), size: 256 },
  { base: ip4('198.18.0.0'), size: 131072 },
];
const TOTAL = POOLS.reduce((n, p) => n + p.size, 0);

function ip4(text: string): number {
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function fmt(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function nth(index: number): string {
  let i = index;
  for (const pool of POOLS) {
    if (i < pool.size) return fmt(pool.base + i);
    i -= pool.size;
  }
  throw new RangeError('address index out of range');
}

const usable = (ip: string) => !ip.endsWith('.0') && !ip.endsWith('.255');

export function allocateIpv4(world: World): { id: number; ip: string } | null {
  const used = new Set(world.state.servers.flatMap((s) => (s.ipv4 ? [s.ipv4.ip] : [])));
  for (let tries = 0; tries < TOTAL; tries++) {
    const index = world.state.counters.ip++ % TOTAL;
    const ip = nth(index);
    if (usable(ip) && !used.has(ip)) return { id: 90_000_000 + world.state.counters.ip, ip };
  }
  return null;
}

export function allocateIpv6(world: World): { id: number; network: string } {
  const a = world.rng.hex(4).replace(/^0+(?=.)/, '');
  const b = world.rng.hex(4).replace(/^0+(?=.)/, '');
  return { id: 80_000_000 + world.rng.int(1, 9_999_999), network: `2001:db8:${a}:${b}::/64` };
}
