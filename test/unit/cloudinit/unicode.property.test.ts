// Arbitrary Unicode through every operator-supplied field: either the rendered text reads back
// (as PyYAML would read it) as exactly the object meant, or the input is refused with
// invalid_input naming that field. Once with the allow-lists, once through the renderer seam
// with them bypassed, so the read-back is shown to hold on its own.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ALLOWED_TOP_LEVEL_KEYS, buildCloudConfig, renderUserData } from '../../../electron/core/cloudinit';
import { readLikePyYaml } from '../../../electron/core/cloudinit/pyyaml';
import { assembleCloudConfig, renderValues } from '../../../electron/core/cloudinit/userData';
import { vmName } from '../../../electron/core/provisioning/naming';
import { OutpostError } from '../../../shared/errors';
import { base } from './fixtures';
import { hostileText, perturbed, unchecked } from './hostile';

function expectNamedRefusal(err: unknown, names: RegExp, authKey: string): void {
  expect(err).toBeInstanceOf(OutpostError);
  const e = err as OutpostError;
  expect(e.code, e.message).toBe('invalid_input');
  expect(e.message).toMatch(names);
  expect(e.hint).toBeTruthy();
  if (authKey.length >= 8) expect(`${e.message} ${e.hint}`).not.toContain(authKey);
}

describe('arbitrary Unicode in every field', () => {
  it('renders text that PyYAML reads as the object meant, or is refused naming the field', () => {
    fc.assert(
      fc.property(perturbed, ({ names, input }) => {
        let text: string;
        try {
          text = renderUserData(input).text;
        } catch (err) {
          expectNamedRefusal(err, names, input.authKey);
          return;
        }
        const read = readLikePyYaml(text) as Record<string, unknown>;
        expect(read).toEqual(buildCloudConfig(input));
        for (const key of Object.keys(read)) expect(ALLOWED_TOP_LEVEL_KEYS).toContain(key);
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  it('never refuses an agent name: it reaches user-data only as the slug in the VM name', () => {
    fc.assert(
      fc.property(hostileText, (agentName) => {
        const hostname = vmName(agentName);
        const text = renderUserData({ ...base, hostname }).text;
        expect((readLikePyYaml(text) as { hostname: string }).hostname).toBe(hostname);
        // None of the agent's own text survives beyond what the slug allows.
        expect(hostname).toMatch(/^[a-z0-9-]+$/);
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

describe('the read-back on its own (allow-lists bypassed)', () => {
  it('lets through only text that reads back as the object meant, and names the field otherwise', () => {
    let refused = 0;
    fc.assert(
      fc.property(unchecked, ({ names, values }) => {
        let text: string;
        try {
          text = renderValues(values).text;
        } catch (err) {
          refused += 1;
          expectNamedRefusal(err, names, values.authKey);
          return;
        }
        expect(readLikePyYaml(text)).toEqual(assembleCloudConfig(values));
      }),
      { numRuns: 400 },
    );
    // The generator really reaches the read-back's refusals, not only its happy path.
    expect(refused).toBeGreaterThan(20);
  }, 60_000);
});
