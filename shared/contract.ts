// Every channel the renderer can call and every event it can receive. Registration in the main
// process, the preload object, browser mode's HTTP routes and the renderer's client are all derived
// from these two objects, so a channel that is missing or misspelt anywhere is a compile error.
import { z } from 'zod';
import { AppInfo, Instance, INSTANCE_STATUSES, JobEvent, Job, Region } from './domain';

/** A channel: its request schema and (phantom) response schema. */
const channel = <Req extends z.ZodType, Res extends z.ZodType>(req: Req, res: Res) => ({ req, res });

const Empty = z.object({}).strict();

export const InstanceListQuery = z
  .object({
    status: z.array(z.enum(INSTANCE_STATUSES)).max(INSTANCE_STATUSES.length).optional(),
    region: z.string().max(32).optional(),
    search: z.string().max(200).optional(),
    includeDestroyed: z.boolean().optional(),
  })
  .strict();

export const channels = {
  'app:info': channel(Empty, AppInfo),
  'regions:list': channel(Empty, z.array(Region)),
  'instances:list': channel(InstanceListQuery, z.array(Instance)),
} as const;

export const events = {
  /** A job changed: `seq` is the job event it reflects; a gap means re-read with jobs:get. */
  'job:progress': z.object({ jobId: z.string(), seq: z.number().int(), job: Job, event: JobEvent.nullable() }),
  /** An instance row changed (status, IPs, enrollment). */
  'instance:changed': z.object({ instance: Instance }),
} as const;

export type Channel = keyof typeof channels;
export type EventName = keyof typeof events;
export type Req<C extends Channel> = z.input<(typeof channels)[C]['req']>;
export type ParsedReq<C extends Channel> = z.output<(typeof channels)[C]['req']>;
export type Res<C extends Channel> = z.output<(typeof channels)[C]['res']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const CHANNELS = Object.keys(channels) as Channel[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export const isChannel = (name: string): name is Channel => Object.hasOwn(channels, name);

/**
 * The one API the renderer knows. `window.outpost` in Electron, the HTTP+SSE client in browser mode,
 * a fake in component tests: all implement exactly this.
 */
export interface OutpostApi {
  call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
