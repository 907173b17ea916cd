// The audit page says every action in words: a mutating channel (the permission table's) or an action
// written outside a channel that reads as its raw name is a gap a support person trips over.
import { describe, expect, it } from 'vitest';
import { MUTATING_CHANNELS } from '../../shared/permissions';
import { actionLabel } from '../../renderer/src/features/audit/audit-text';

describe('audit action words', () => {
  it.each([...MUTATING_CHANNELS, 'fleet:sync', 'tokens:test', 'users:add', 'users:disable', 'users:token', 'store:import'])('%s has words', (action) => {
    expect(actionLabel(action)).not.toBe(action);
    expect(actionLabel(action)).toMatch(/^[A-Z][a-z]/);
  });

  it('an unknown action reads as itself', () => {
    expect(actionLabel('something:new')).toBe('something:new');
  });
});
