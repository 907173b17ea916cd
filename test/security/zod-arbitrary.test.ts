// The deriver the fuzz stands on: what it calls valid must be valid for every channel's schema (or
// the fuzz's "a third reach the handler" is counted wrong), and what it calls near-valid must
// mostly be refused (or the fuzz never probes the edges).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, channels } from '../../shared/contract';
import { nearValidArbitrary, validArbitrary } from './zod-arbitrary';

describe('zod → fast-check deriver', () => {
  it.each(CHANNELS)('%s: every valid value passes the request schema', (channel) => {
    const schema = channels[channel].req;
    fc.assert(
      fc.property(validArbitrary(schema), (value) => {
        const parsed = schema.safeParse(JSON.parse(JSON.stringify(value)));
        expect(parsed.success, `${JSON.stringify(value)}: ${parsed.error?.message}`).toBe(true);
      }),
      { numRuns: 200, seed: 42 },
    );
  });

  it.each(CHANNELS)('%s: near-valid values are mostly refused', (channel) => {
    const schema = channels[channel].req;
    const samples = fc.sample(nearValidArbitrary(schema), { numRuns: 300, seed: 42 });
    const refused = samples.filter((v) => !schema.safeParse(JSON.parse(JSON.stringify(v ?? null)) ?? {}).success).length;
    expect(refused / samples.length, channel).toBeGreaterThan(0.5);
  });

  it('reaches the boundaries: an empty optional string, and a string at its maximum length', () => {
    const values = fc.sample(validArbitrary(channels['regions:list'].req), { numRuns: 500, seed: 7 }) as { serverType?: string }[];
    expect(values.some((v) => v.serverType === '')).toBe(true);
    expect(values.some((v) => v.serverType?.length === 32)).toBe(true);
  });
});
