import { createHash, randomBytes } from 'node:crypto';

/**
 * Simulated time is real time: timestamps the clients see are wall-clock, and only the *durations*
 * the simulator chooses are multiplied by the time scale. That keeps RFC 3339 stamps, token expiry
 * and the request log comparable with the client's own clock.
 */
export interface Clock {
  now(): number;
  /** Seconds of simulated duration -> real milliseconds. */
  scaleMs(seconds: number): number;
  readonly timeScale: number;
}

export function systemClock(timeScale: number): Clock {
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  return { now: () => Date.now(), scaleMs: (s) => Math.round(s * 1000 * timeScale), timeScale };
}

/** mulberry32: tiny, fast and good enough for ids, delays and fault dice. Not for secrets. */
export class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }
  chars(n: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(this.next() * alphabet.length)];
    return out;
  }
  hex(n: number): string {
    return this.chars(n, '0123456789abcdef');
  }
  alnum(n: number): string {
    return this.chars(n, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
  }
  get state(): number {
    return this.a;
  }
  set state(value: number) {
    this.a = value >>> 0;
  }
}

/**
 * Independent streams per purpose, so that (say) the number of polls a client makes, which draws
 * correlation ids, cannot shift the ids and delays of the world and break seeded repeatability.
 */
export function deriveSeed(seed: number, stream: string): number {
  const digest = createHash('sha256').update(`${seed}:${stream}`).digest();
  return digest.readUInt32LE(0);
}

export function randomSeed(): number {
  return randomBytes(4).readUInt32LE(0);
}

/** RFC 3339 with second precision and `Z`, as current Hetzner responses use. */
export function isoSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
