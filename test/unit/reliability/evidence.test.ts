// The reliability runs must not go blind: a key that expired, or a run long enough for an offline
// device to be reaped, is itself reported, since a leak of either would no longer show.
import { describe, expect, it } from 'vitest';
import type { SimStateView } from '../../../electron/sim/control';
import { COMPRESSED_STEPS, evidenceProblems, REAP_AFTER_MS } from '../../reliability/support';

const key = (id: string, invalidReason: string | null) => ({ id, invalid: invalidReason !== null, invalidReason, uses: [], rejections: [] });
const stateWith = (keys: SimStateView['keys']) => ({ keys, devices: [] }) as unknown as SimStateView;

describe('evidenceProblems', () => {
  it('reports a key that expired during the run, and nothing for used, revoked or valid keys', () => {
    const now = Date.now();
    const problems = evidenceProblems(
      stateWith([key('kUsed', 'auth key kUsed was already used (single-use)'), key('kRevoked', 'auth key kRevoked was revoked'), key('kValid', null), key('kOld', 'auth key kOld expired at 2026-11-29T10:00:00Z')]),
      now,
    );
    expect(problems).toEqual(['key kOld expired during the run (0 uses): a leak of it could no longer be seen']);
  });

  it('reports a run that outlasted the reap time', () => {
    expect(evidenceProblems(stateWith([]), Date.now() - REAP_AFTER_MS - 1)).toEqual([expect.stringMatching(/past the ephemeral reap time/)]);
    expect(evidenceProblems(stateWith([]), Date.now() - 60_000)).toEqual([]);
  });

  it('keeps the step delays short while keys and reaping stay at their 30 minutes', () => {
    expect(COMPRESSED_STEPS.enrollment).toEqual([0.3, 0.9]);
    expect(COMPRESSED_STEPS).not.toHaveProperty('ephemeralReap');
    expect(REAP_AFTER_MS).toBe(1_800_000);
  });
});
