import { describe, expect, it } from 'vitest';
import { OutpostError } from '../../../shared/errors';
import { AttemptLimiter, SIGN_IN_LIMITS, SignInRateLimited, SignInThrottle, signInKey } from '../../../electron/core/auth/rate-limit';
import { retryAfterSeconds } from '../../../electron/server/team/auth-routes';

describe('sign-in attempt limiter', () => {
  it('allows max failures per window, then says how long to wait, and forgets after a success', () => {
    let now = 1_000_000;
    const limiter = new AttemptLimiter({ max: 3, windowMs: 60_000 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs('name:ana')).toBe(0);
      limiter.fail('name:ana');
      now += 1000;
    }
    expect(limiter.retryAfterMs('name:ana')).toBe(57_000); // the first failure leaves the window then
    expect(limiter.retryAfterMs('name:bob')).toBe(0);
    now += 57_000;
    expect(limiter.retryAfterMs('name:ana')).toBe(0);
    limiter.fail('name:ana');
    expect(limiter.retryAfterMs('name:ana')).toBeGreaterThan(0);
    limiter.reset('name:ana');
    expect(limiter.retryAfterMs('name:ana')).toBe(0);
  });

  it('keeps its memory bounded under a flood of keys', () => {
    const limiter = new AttemptLimiter({ max: 1, windowMs: 60_000 }, () => 5);
    for (let i = 0; i < 10_050; i++) limiter.fail(`ip:${i}`);
    expect(limiter.retryAfterMs('ip:0')).toBe(0); // forgotten (oldest)
    expect(limiter.retryAfterMs('ip:10049')).toBeGreaterThan(0);
  });
});

describe('sign-in throttle', () => {
  const wrong = () => Promise.reject(new OutpostError('unauthorized', 'The name or the password is wrong.'));
  const right = () => Promise.resolve('session');

  async function codeOf(p: Promise<unknown>): Promise<string> {
    try {
      await p;
      return 'ok';
    } catch (err) {
      return (err as OutpostError).code;
    }
  }

  it('stops one name from one address after 5 failures, without running the sign-in, and says when to retry', async () => {
    let now = 0;
    const throttle = new SignInThrottle(() => now);
    for (let i = 0; i < SIGN_IN_LIMITS.perNameAndAddress.max; i++) expect(await codeOf(throttle.attempt('Ana', '203.0.113.7', wrong))).toBe('unauthorized');
    let ran = false;
    const blocked = throttle.attempt('ANA', '203.0.113.7', () => {
      ran = true;
      return right();
    });
    await expect(blocked).rejects.toMatchObject({ code: 'rate_limited', message: 'Too many failed sign-ins. Try again in 15 minutes.' });
    expect(ran).toBe(false);
    // The same person from their own machine elsewhere is not locked out by this address's failures.
    expect(await codeOf(throttle.attempt('ana', '198.51.100.1', right))).toBe('ok');
    now += SIGN_IN_LIMITS.perNameAndAddress.windowMs;
    expect(await codeOf(throttle.attempt('ana', '203.0.113.7', right))).toBe('ok');
  });

  it('says the wait in milliseconds too, which Retry-After carries in seconds', async () => {
    let now = 0;
    const throttle = new SignInThrottle(() => now);
    for (let i = 0; i < SIGN_IN_LIMITS.perNameAndAddress.max; i++) await codeOf(throttle.attempt('Ana', '203.0.113.7', wrong));
    now += 5 * 60_000 + 500;
    const refused = await throttle.attempt('Ana', '203.0.113.7', right).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(SignInRateLimited);
    expect((refused as SignInRateLimited).retryAfterMs).toBe(SIGN_IN_LIMITS.perNameAndAddress.windowMs - (5 * 60_000 + 500));
    expect(retryAfterSeconds(refused as SignInRateLimited)).toBe(600);
    expect((refused as SignInRateLimited).message).toBe('Too many failed sign-ins. Try again in 10 minutes.');
  });

  it('stops an address trying many names, and a name tried from many addresses', async () => {
    const throttle = new SignInThrottle(() => 0);
    for (let i = 0; i < SIGN_IN_LIMITS.perAddress.max; i++) await codeOf(throttle.attempt(`user${i}`, '203.0.113.7', wrong));
    expect(await codeOf(throttle.attempt('someone-new', '203.0.113.7', right))).toBe('rate_limited');
    for (let i = 0; i < SIGN_IN_LIMITS.perName.max; i++) await codeOf(throttle.attempt('ana', `10.0.${i >> 8}.${i & 255}`, wrong));
    expect(await codeOf(throttle.attempt('ana', '192.0.2.1', right))).toBe('rate_limited');
    expect(await codeOf(throttle.attempt('bob', '192.0.2.1', right))).toBe('ok');
  });

  it('a success clears the pair\'s count but not the address\'s', async () => {
    const throttle = new SignInThrottle(() => 0);
    // Four guesses at each of five colleagues, signing in to one's own account in between.
    for (let round = 0; round < 5; round++) {
      for (let i = 0; i < 4; i++) expect(await codeOf(throttle.attempt(`victim${round}`, '203.0.113.7', wrong))).toBe('unauthorized');
      // Their own success never gave the address its failures back: after the 20th it waits too.
      expect(await codeOf(throttle.attempt('attacker', '203.0.113.7', right))).toBe(round < 4 ? 'ok' : 'rate_limited');
    }
    expect(await codeOf(throttle.attempt('victim5', '203.0.113.7', right))).toBe('rate_limited');
  });

  it('does not count errors that are not a failed sign-in', async () => {
    const throttle = new SignInThrottle(() => 0);
    for (let i = 0; i < 30; i++) await codeOf(throttle.attempt('ana', '203.0.113.7', () => Promise.reject(new OutpostError('internal', 'db down'))));
    expect(await codeOf(throttle.attempt('ana', '203.0.113.7', right))).toBe('ok');
  });

  it('folds names like stored names, and keys any other input safely', () => {
    expect(signInKey('  \uff21na ')).toBe(signInKey('ana'));
    expect(signInKey('bad\nname')).toBe('bad\nname');
    expect(signInKey('x'.repeat(10_000))).toHaveLength(256);
    expect(signInKey(undefined)).toBe('');
  });
});
