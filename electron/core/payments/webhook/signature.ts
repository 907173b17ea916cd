// A webhook delivery's signature: `Outpost-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`, where
// each v1 is HMAC-SHA256, keyed with the shared secret, over `<t>.<raw body>` — the exact bytes
// received, before any JSON parsing, so no re-serialisation can change what was signed. Signing the
// timestamp with the body is what makes the tolerance check worth anything: an old delivery cannot
// be replayed with a fresh t. Several v1 values let a sender sign with its old and new secret while
// one is being rotated; Outpost likewise accepts either of its configured secrets.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WEBHOOK_TOLERANCE_SECONDS } from '../../../../shared/webhook';

export type SignatureCheck =
  | { ok: true; timestamp: number }
  | { ok: false; reason: 'missing' | 'malformed' | 'stale' | 'mismatch'; message: string };

/** The hex HMAC a sender puts in v1= (exported for tests and for the README's recipe). */
export function signPayload(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

/** The whole header value for one secret, as a sender would build it. */
export const signatureHeader = (secret: string, timestamp: number, rawBody: string): string => `t=${timestamp},v1=${signPayload(secret, timestamp, rawBody)}`;

const HEX_SHA256 = /^[0-9a-f]{64}$/;
// More than a handful of signatures is not a rotation, it is someone guessing.
const MAX_SIGNATURES = 8;

function parseHeader(header: string): { timestamp: number; signatures: Buffer[] } | null {
  let timestamp: number | null = null;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return null;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1') {
      if (!HEX_SHA256.test(value)) return null;
      signatures.push(Buffer.from(value, 'hex'));
    }
    // Other schemes (v0, a future v2) are ignored, so a sender may add one without breaking this.
  }
  if (timestamp === null || signatures.length === 0 || signatures.length > MAX_SIGNATURES) return null;
  return { timestamp, signatures };
}

/**
 * Checks a delivery against every configured secret. The reasons are told to the sender (they help
 * whoever sets the shop up and give nothing away); the signature itself is never repeated back.
 */
export function verifySignature(header: string | undefined, rawBody: string, secrets: readonly string[], nowMs: number, toleranceS = WEBHOOK_TOLERANCE_SECONDS): SignatureCheck {
  if (header === undefined || header.length === 0) {
    return { ok: false, reason: 'missing', message: 'The Outpost-Signature header is missing.' };
  }
  const parsed = parseHeader(header);
  if (!parsed) {
    return { ok: false, reason: 'malformed', message: 'The Outpost-Signature header is not of the form t=<unix seconds>,v1=<64 hex digits>.' };
  }
  // Both ways: a timestamp from the future is a clock problem or a forgery, not a head start.
  if (Math.abs(nowMs / 1000 - parsed.timestamp) > toleranceS) {
    return { ok: false, reason: 'stale', message: `The signature's timestamp is more than ${toleranceS} s away from Outpost's clock.` };
  }
  for (const secret of secrets) {
    const expected = Buffer.from(signPayload(secret, parsed.timestamp, rawBody), 'hex');
    // Every candidate has the expected length (checked by the pattern), as timingSafeEqual requires.
    if (parsed.signatures.some((candidate) => timingSafeEqual(candidate, expected))) return { ok: true, timestamp: parsed.timestamp };
  }
  return { ok: false, reason: 'mismatch', message: 'No signature in Outpost-Signature matches this body and timestamp.' };
}
