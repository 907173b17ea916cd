// The preload's plain name lists must be exactly the contract's: a channel added to the contract and
// not here would be refused by the preload as unknown; one removed there would be invoked for nothing.
import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../../shared/channel-names';
import { channels, events } from '../../../shared/contract';

const sorted = (names: readonly string[]) => [...names].sort();

describe('shared/channel-names', () => {
  it('lists every contract channel once, and nothing else', () => {
    expect(new Set(CHANNEL_NAMES).size).toBe(CHANNEL_NAMES.length);
    expect(sorted(CHANNEL_NAMES)).toEqual(sorted(Object.keys(channels)));
  });

  it('lists every contract event once, and nothing else', () => {
    expect(new Set(EVENT_NAMES).size).toBe(EVENT_NAMES.length);
    expect(sorted(EVENT_NAMES)).toEqual(sorted(Object.keys(events)));
  });
});
