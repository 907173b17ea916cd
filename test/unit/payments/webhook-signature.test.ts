// The webhook's signature header and its secret configuration, without a server: what a sender
// must send (and may add while rotating), and which secrets Outpost will run with.
import { describe, expect, it } from 'vitest';
import { OutpostError } from '../../../shared/errors';
import { redact } from '../../../electron/core/redact';
import { MIN_WEBHOOK_SECRET_LENGTH, webhookSecretsFrom } from '../../../electron/core/payments/webhook/secret';
import { signatureHeader, signPayload, verifySignature } from '../../../electron/core/payments/webhook/signature';

const NEW = 'n'.repeat(40);
const OLD = 'o'.repeat(40);
const BODY = '{"id":"evt_1"}';
const T = 1_777_000_000;
const NOW = T * 1000;

describe('verifySignature', () => {
  it('is HMAC-SHA256 over "<t>.<raw body>" in hex, as the README recipe computes it', () => {
    // Computed independently: printf '%s' '1777000000.{"id":"evt_1"}' | openssl dgst -sha256 -hmac nnnn…(40 n) -r
    expect(signPayload(NEW, T, BODY)).toBe('9b8e2ccf2d5dcfada8567748563b1d70b7dc0dc2b4bac37e38d96902db37d0c1');
    expect(signPayload(NEW, T, BODY)).not.toBe(signPayload(NEW, T + 1, BODY));
    expect(verifySignature(signatureHeader(NEW, T, BODY), BODY, [NEW], NOW)).toEqual({ ok: true, timestamp: T });
  });

  it('accepts any of several v1 signatures, so a sender can sign with its old and new secret while rotating', () => {
    const both = `t=${T},v1=${signPayload(OLD, T, BODY)},v1=${signPayload(NEW, T, BODY)}`;
    expect(verifySignature(both, BODY, [NEW], NOW).ok).toBe(true);
    expect(verifySignature(both, BODY, [OLD], NOW).ok).toBe(true);
  });

  it('accepts the previous secret while Outpost has it configured beside the current one', () => {
    const old = signatureHeader(OLD, T, BODY);
    expect(verifySignature(old, BODY, [NEW], NOW)).toMatchObject({ ok: false, reason: 'mismatch' });
    expect(verifySignature(old, BODY, [NEW, OLD], NOW).ok).toBe(true);
  });

  it('ignores unknown schemes but needs a t and at least one v1', () => {
    expect(verifySignature(`${signatureHeader(NEW, T, BODY)},v0=abc`, BODY, [NEW], NOW).ok).toBe(true);
    expect(verifySignature(`v1=${signPayload(NEW, T, BODY)}`, BODY, [NEW], NOW)).toMatchObject({ reason: 'malformed' });
    expect(verifySignature(`t=${T},v0=abc`, BODY, [NEW], NOW)).toMatchObject({ reason: 'malformed' });
  });

  it('refuses two timestamps, a non-numeric one, a short or upper-case signature, and more than eight signatures', () => {
    const sig = signPayload(NEW, T, BODY);
    for (const header of [
      `t=${T},t=${T},v1=${sig}`,
      `t=${T}.5,v1=${sig}`,
      `t=-${T},v1=${sig}`,
      `t=${T},v1=${sig.slice(0, 63)}`,
      `t=${T},v1=${sig.toUpperCase()}`,
      `t=${T},${Array.from({ length: 9 }, () => `v1=${sig}`).join(',')}`,
      `t=${T};v1=${sig}`,
    ]) {
      expect(verifySignature(header, BODY, [NEW], NOW), header).toMatchObject({ ok: false, reason: 'malformed' });
    }
    expect(verifySignature(`t=${T},${Array.from({ length: 8 }, () => `v1=${sig}`).join(',')}`, BODY, [NEW], NOW).ok).toBe(true);
  });

  it('says which check failed without quoting the signature', () => {
    const header = signatureHeader(NEW, T, BODY);
    const checks = [
      verifySignature(undefined, BODY, [NEW], NOW),
      verifySignature(header, BODY, [NEW], NOW + 301_000),
      verifySignature(header, `${BODY} `, [NEW], NOW),
    ];
    expect(checks.map((c) => (c.ok ? 'ok' : c.reason))).toEqual(['missing', 'stale', 'mismatch']);
    for (const c of checks) if (!c.ok) expect(c.message).not.toContain(signPayload(NEW, T, BODY));
  });
});

describe('webhookSecretsFrom', () => {
  it('is off (null) without OUTPOST_WEBHOOK_SECRET', () => {
    expect(webhookSecretsFrom({})).toBeNull();
    expect(webhookSecretsFrom({ OUTPOST_WEBHOOK_SECRET: '' })).toBeNull();
  });

  it('gives the current secret first, then the previous one', () => {
    expect(webhookSecretsFrom({ OUTPOST_WEBHOOK_SECRET: NEW, OUTPOST_WEBHOOK_SECRET_PREVIOUS: OLD })).toEqual([NEW, OLD]);
  });

  it('registers each secret with the log redactor as soon as it is read', () => {
    const secret = `registered-${'r'.repeat(MIN_WEBHOOK_SECRET_LENGTH)}`;
    webhookSecretsFrom({ OUTPOST_WEBHOOK_SECRET: secret });
    expect(redact(`signed with ${secret}`)).not.toContain(secret);
  });

  it('refuses a short or padded secret by its variable name, without quoting it', () => {
    for (const [env, name] of [
      [{ OUTPOST_WEBHOOK_SECRET: 's'.repeat(MIN_WEBHOOK_SECRET_LENGTH - 1) }, 'OUTPOST_WEBHOOK_SECRET'],
      [{ OUTPOST_WEBHOOK_SECRET: ` ${'p'.repeat(MIN_WEBHOOK_SECRET_LENGTH)}` }, 'OUTPOST_WEBHOOK_SECRET'],
      [{ OUTPOST_WEBHOOK_SECRET: NEW, OUTPOST_WEBHOOK_SECRET_PREVIOUS: 'short-previous' }, 'OUTPOST_WEBHOOK_SECRET_PREVIOUS'],
    ] as const) {
      let error: unknown;
      try {
        webhookSecretsFrom(env);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(OutpostError);
      expect(error).toMatchObject({ code: 'invalid_input', message: expect.stringContaining(`${name} must be at least ${MIN_WEBHOOK_SECRET_LENGTH}`) });
      const value = Object.values(env).at(-1)!;
      expect(JSON.stringify((error as OutpostError).toBody())).not.toContain(value.trim());
    }
    expect(webhookSecretsFrom({ OUTPOST_WEBHOOK_SECRET: 'x'.repeat(MIN_WEBHOOK_SECRET_LENGTH) })).toHaveLength(1);
  });

  it('refuses a previous secret without a current one', () => {
    expect(() => webhookSecretsFrom({ OUTPOST_WEBHOOK_SECRET_PREVIOUS: OLD })).toThrow(/OUTPOST_WEBHOOK_SECRET_PREVIOUS is set but OUTPOST_WEBHOOK_SECRET is not/);
  });
});
