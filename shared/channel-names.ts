// Every name that crosses the preload bridge, as plain strings. The sandboxed preload checks channel
// and event names against these lists instead of importing the contract, whose zod schemas would
// grow its bundle tenfold. The contract stays the source: the `satisfies` clauses reject a name it
// does not have, and a name missing here is a compile error below (and fails
// test/unit/shared/channel-names.test.ts).
import type { Channel, EventName } from './contract';

export const CHANNEL_NAMES = [
  'app:info',
  'app:openDataDir',
  'app:restart',
  'regions:list',
  'catalog:get',
  'instances:list',
  'instances:page',
  'instances:get',
  'instances:destroy',
  'provision:start',
  'provision:cancel',
  'jobs:retry',
  'jobs:list',
  'jobs:get',
  'payments:record',
  'payments:list',
  'fleet:sync',
  'unowned:list',
  'unowned:adopt',
  'unowned:delete',
  'audit:list',
  'settings:get',
  'settings:update',
  'tokens:status',
  'tokens:set',
  'tokens:test',
  'tokens:clear',
  'tokens:reset',
  'team:status',
  'team:connect',
  'team:disconnect',
] as const satisfies readonly Channel[];

// And the other way: a contract channel missing above does not compile (the preload would refuse it).
type MissingChannel = Exclude<Channel, (typeof CHANNEL_NAMES)[number]>;
export const EVERY_CHANNEL_LISTED: [MissingChannel] extends [never] ? true : MissingChannel = true;

export const EVENT_NAMES = ['job:progress', 'instance:changed'] as const satisfies readonly EventName[];

/** main -> renderer: every contract event, as `{ event, payload }`. */
export const EVENT_CHANNEL = 'outpost:event';

/** renderer -> main: the preload has exposed window.outpost; queued events may flow. */
export const RENDERER_READY_CHANNEL = 'app:renderer-ready';
