// Sign-in rate limiting for the team server (issue 16): a password guesser gets a handful of tries,
// then waits. In memory, per process — several server processes each keep their own count, which
// multiplies the budget by the (small) number of processes but writes no row per failed attempt.
import { OutpostError } from '../../../shared/errors';
import { normalizeUserName, userNameKey } from './names';

export interface LimitRule {
  /** Failed attempts allowed within `windowMs`. */
  max: number;
  windowMs: number;
}

const WINDOW_MS = 15 * 60_000;

/**
 * Failures allowed per 15 minutes: 5 for one name from one address (a person mistyping); 20 from one
 * address whatever the names (an office behind one NAT has several people; one guesser tries many
 * names); 50 for one name from anywhere (a guesser spread over many addresses). The per-name budget is
 * loose on purpose: a tight one would let anyone lock a colleague out by failing on their name.
 */
export const SIGN_IN_LIMITS = {
  perNameAndAddress: { max: 5, windowMs: WINDOW_MS },
  perAddress: { max: 20, windowMs: WINDOW_MS },
  perName: { max: 50, windowMs: WINDOW_MS },
} as const satisfies Record<string, LimitRule>;

/** Keys remembered at most; the oldest are forgotten first, so a flood of addresses cannot grow memory. */
const MAX_KEYS = 10_000;

export class AttemptLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly rule: LimitRule,
    private readonly now: () => number = Date.now,
  ) {}

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string): number {
    const recent = this.recent(key);
    if (recent.length < this.rule.max) return 0;
    return Math.max(1, recent[recent.length - this.rule.max]! + this.rule.windowMs - this.now());
  }

  /** Counts a failed attempt for `key`. */
  fail(key: string): void {
    const recent = this.recent(key);
    recent.push(this.now());
    this.failures.delete(key); // re-insert: Map order is then least recently failed first
    this.failures.set(key, recent);
    if (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  /** Forgets `key`'s failures (a successful sign-in). */
  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string): number[] {
    const since = this.now() - this.rule.windowMs;
    const kept = (this.failures.get(key) ?? []).filter((t) => t > since);
    if (kept.length === 0) this.failures.delete(key);
    else this.failures.set(key, kept);
    return kept;
  }
}

/** A refused sign-in attempt: rate_limited, saying in words and in milliseconds (Retry-After) when to try again. */
export class SignInRateLimited extends OutpostError {
  constructor(readonly retryAfterMs: number) {
    const minutes = Math.ceil(retryAfterMs / 60_000);
    super('rate_limited', `Too many failed sign-ins. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`, {
      hint: 'An operator can send a new sign-in link if the password is lost.',
    });
  }
}

/**
 * The sign-in gate the server puts in front of UserService.signIn: refused (rate_limited, with when to
 * try again) once the name or the address has used up its failures; a failed sign-in counts against
 * both, a successful one clears the name's count only (one's own account must not be a way to reset
 * an address that is guessing other people's passwords).
 */
export class SignInThrottle {
  private readonly limiters: { [K in keyof typeof SIGN_IN_LIMITS]: AttemptLimiter };

  constructor(now: () => number = Date.now, rules: { [K in keyof typeof SIGN_IN_LIMITS]: LimitRule } = SIGN_IN_LIMITS) {
    this.limiters = {
      perNameAndAddress: new AttemptLimiter(rules.perNameAndAddress, now),
      perAddress: new AttemptLimiter(rules.perAddress, now),
      perName: new AttemptLimiter(rules.perName, now),
    };
  }

  /**
   * Runs `signIn` (UserService.signIn for `name`) unless this name, this address or the pair must
   * wait: then rate_limited, saying when to try again, and `signIn` is not run. A failed sign-in
   * (unauthorized or forbidden) counts against all three; a successful one clears the pair's count only
   * (one's own account must not reset an address that is guessing other people's passwords).
   * `address`: the client's address as the server determined it (behind --trust-proxy, the forwarded one).
   */
  async attempt<T>(name: unknown, address: string, signIn: () => Promise<T>): Promise<T> {
    const nameKey = signInKey(name);
    const keys = { perNameAndAddress: `${nameKey}\u0000${address}`, perAddress: address, perName: nameKey };
    const wait = Math.max(...(Object.keys(keys) as (keyof typeof keys)[]).map((k) => this.limiters[k].retryAfterMs(keys[k])));
    if (wait > 0) throw new SignInRateLimited(wait);
    try {
      const result = await signIn();
      this.limiters.perNameAndAddress.reset(keys.perNameAndAddress);
      return result;
    } catch (err) {
      if (err instanceof OutpostError && (err.code === 'unauthorized' || err.code === 'forbidden')) {
        for (const k of Object.keys(keys) as (keyof typeof keys)[]) this.limiters[k].fail(keys[k]);
      }
      throw err;
    }
  }
}

/** The name as the throttle counts it: folded like stored names ("Ana" and "ANA" share a count), or cut short when it is no valid name. */
export function signInKey(name: unknown): string {
  if (typeof name !== 'string') return '';
  try {
    return userNameKey(normalizeUserName(name));
  } catch {
    return name.slice(0, 256);
  }
}
