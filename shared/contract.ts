// Every channel the renderer can call and every event it can receive. Registration in the main
// process, the preload object, browser mode's HTTP routes and the renderer's client are all derived
// from these two objects, so a channel that is missing or misspelt anywhere is a compile error.
import { z } from 'zod';
import {
  AppInfo,
  AUDIT_OUTCOMES,
  AuditEntry,
  Catalog,
  ENROLLMENTS,
  FleetSyncSummary,
  Instance,
  InstanceDetail,
  INSTANCE_STATUSES,
  Job,
  JobDetail,
  JobEvent,
  JOB_STATUSES,
  Payment,
  PROVISION_QUANTITY_MAX,
  Region,
  Settings,
  UnownedServer,
} from './domain';
import { FLEET_IDS_MAX, FLEET_SORT_KEYS, FLEET_WINDOW_MAX } from './fleet-query';
import { TeamConnectRequest, TeamStatusSchema } from './team';
import { HetznerTokenInputSchema, ProviderTokenStatusSchema, TailscaleClientInputSchema, TOKEN_PROVIDERS, TokenStatusSchema, VAULT_RESET_PHRASE } from './tokens';

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

/** The Fleet's question (shared/fleet-query.ts): filters, one sort, and a window of at most FLEET_WINDOW_MAX rows. */
export const InstancePageQuery = z
  .object({
    status: z.array(z.enum(INSTANCE_STATUSES)).max(INSTANCE_STATUSES.length).optional(),
    showEnded: z.boolean().optional(),
    drift: z.boolean().optional(),
    region: z.string().max(32).optional(),
    enrollment: z.enum(ENROLLMENTS).optional(),
    search: z.string().max(200).optional(),
    ids: z.array(z.string().min(1).max(64)).max(FLEET_IDS_MAX).optional(),
    sort: z.enum(FLEET_SORT_KEYS).optional(),
    dir: z.enum(['asc', 'desc']).optional(),
    offset: z.number().int().min(0).max(10_000_000).optional(),
    limit: z.number().int().min(0).max(FLEET_WINDOW_MAX),
  })
  .strict();

const Count = z.number().int().min(0);

/** A window of the fleet, and the counts the page shows. */
export const InstancePage = z.object({
  rows: z.array(Instance),
  offset: Count,
  /** Instances matching the filters; at most FLEET_COUNT_CAP when `capped` (a search that matches more). */
  total: Count,
  capped: z.boolean(),
  /** Of those, the ones a bulk action may touch (not ended); capped like `total`. */
  selectable: Count,
  /** The whole fleet, whatever the filters: not ended, ended (failed or destroyed), drifted and not ended. */
  counts: z.object({ live: Count, ended: Count, drift: Count }),
});

/** Hostname rules (RFC 1123 label, lower case): the VM name is its Tailscale hostname too. */
export const VM_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

const QUANTITY_MESSAGE = `enter a quantity from 1 to ${PROVISION_QUANTITY_MAX} (whole VMs)`;

export const ProvisionRequest = z
  .object({
    region: z.string().trim().min(1, 'choose a region').max(32),
    serverType: z.string().trim().min(1, 'choose a server type').max(32),
    image: z.string().trim().min(1, 'choose an image').max(64),
    agentName: z.string().trim().min(1, 'name the agent').max(64),
    customer: z.string().trim().max(120).optional(),
    /** The VM's name and tailnet hostname; generated from the agent name when absent. */
    name: z.string().regex(VM_NAME, 'use lower-case letters, digits and dashes (at most 63), not starting or ending with a dash').optional(),
    /** How many VMs of this plan (default 1); more than one are recorded together as one group of jobs. */
    quantity: z
      .number({ error: QUANTITY_MESSAGE })
      .int(QUANTITY_MESSAGE)
      .min(1, QUANTITY_MESSAGE)
      .max(PROVISION_QUANTITY_MAX, QUANTITY_MESSAGE)
      .optional(),
  })
  .strict();

/** One VM's job and instance, as provision:start and jobs:retry answer them. */
export const ProvisionStarted = z.object({ jobId: z.string(), instanceId: z.string() });

/** provision:start's answer: the first VM as before, every VM of a batch, and the batch's group (null for one VM). */
export const ProvisionAnswer = ProvisionStarted.extend({ groupId: z.string().nullable(), jobs: z.array(ProvisionStarted) });

export const JobRef = z.object({ jobId: z.string().min(1).max(64) }).strict();
export const InstanceRef = z.object({ instanceId: z.string().min(1).max(64) }).strict();

export const DestroyRequest = z
  .object({
    instanceId: z.string().min(1).max(64),
    /** The instance's name, typed by the operator: a destroy is never one stray click. */
    confirmName: z.string().min(1, 'type the VM name to confirm').max(63),
  })
  .strict();

/** ISO 4217 code, e.g. EUR. */
const Currency = z.string().regex(/^[A-Z]{3}$/, 'use a three-letter currency code such as EUR');

export const PaymentRequest = z
  .object({
    reference: z
      .string()
      .trim()
      .min(1, 'enter the payment reference')
      .max(64)
      .regex(/^[\x20-\x7e]+$/, 'use printable ASCII characters'),
    customer: z.string().trim().min(1, 'enter the customer').max(120),
    contact: z.string().trim().max(200).optional(),
    /** In major units, e.g. 9.90; at most two decimals. */
    amount: z
      .number()
      .nonnegative()
      .max(1_000_000)
      .refine((n) => Math.abs(Math.round(n * 100) - n * 100) < 1e-6, 'use at most two decimals'),
    currency: Currency,
    /** The server type the customer paid for. */
    plan: z.string().trim().min(1, 'choose a plan (server type)').max(32),
    region: z.string().trim().min(1, 'choose a region').max(32),
    image: z.string().trim().min(1).max(64).optional(),
    note: z.string().trim().max(500).optional(),
    /** The agent the VM runs (default: the customer) and the VM's name (default: generated). */
    agentName: z.string().trim().min(1).max(64).optional(),
    name: z.string().regex(VM_NAME, 'use lower-case letters, digits and dashes (at most 63), not starting or ending with a dash').optional(),
    /** Named only to be refused clearly: a payment pays for exactly one VM. */
    quantity: z.literal(1, { error: 'a payment provisions exactly one VM: leave quantity out, or provision more VMs with Provision' }).optional(),
  })
  .strict();

/** An unowned server (see UnownedServer), by its Hetzner id. */
export const UnownedRef = z.object({ serverId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER) }).strict();

export const UnownedDeleteRequest = z
  .object({
    serverId: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    /** The server's name, typed by the operator, as for a destroy. */
    confirmName: z.string().min(1, 'type the server name to confirm').max(63),
  })
  .strict();

export const JobListQuery = z
  .object({
    status: z.array(z.enum(JOB_STATUSES)).max(JOB_STATUSES.length).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

/** An ISO 8601 instant, e.g. 2026-05-01T00:00:00.000Z (audit times are compared as recorded). */
const Instant = z.iso.datetime({ offset: true, error: 'use an ISO 8601 time, e.g. 2026-05-01T00:00:00Z' });

export const AuditQuery = z
  .object({
    action: z.string().max(64).optional(),
    /** Part of the actor's name, any case. */
    actor: z.string().max(120).optional(),
    /** The target's id, or part of its name (VM name, payment customer, setting names), any case. */
    target: z.string().max(64).optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    /** Entries at or after this instant. */
    from: Instant.optional(),
    /** Entries at or before this instant. */
    to: Instant.optional(),
    limit: z.number().int().min(1).max(5000).optional(),
  })
  .strict();

export const RegionQuery = z.object({ serverType: z.string().max(32).optional() }).strict();

/** tokens:set: the secret goes in, only its status ever comes out. */
export const TokenSetRequest = z.discriminatedUnion('provider', [
  z.object({ provider: z.literal('hetzner'), ...HetznerTokenInputSchema.shape }).strict(),
  z.object({ provider: z.literal('tailscale'), ...TailscaleClientInputSchema.shape }).strict(),
]);
export const TokenProviderRef = z.object({ provider: z.enum(TOKEN_PROVIDERS) }).strict();
/** tokens:reset: a vault whose passphrase is lost is emptied only on purpose, with the phrase typed. */
export const TokenResetRequest = z
  .object({ confirm: z.literal(VAULT_RESET_PHRASE, { error: `type "${VAULT_RESET_PHRASE}" to confirm; every stored token will be deleted` }) })
  .strict();

export const channels = {
  'app:info': channel(Empty, AppInfo),
  /** Desktop only: shows the data directory in the file manager (About). Elsewhere: unavailable. */
  'app:openDataDir': channel(Empty, z.object({ opened: z.literal(true) })),
  /** Desktop only: restarts the app (a mode switch applies at start); running jobs resume. Elsewhere: unavailable. */
  'app:restart': channel(Empty, z.object({ restarting: z.literal(true) })),
  'regions:list': channel(RegionQuery, z.array(Region)),
  'catalog:get': channel(Empty, Catalog),
  'instances:list': channel(InstanceListQuery, z.array(Instance)),
  /** A window of the fleet, filtered and sorted by the store: what the Fleet page and the palette show. */
  'instances:page': channel(InstancePageQuery, InstancePage),
  'instances:get': channel(InstanceRef, InstanceDetail),
  'instances:destroy': channel(DestroyRequest, z.object({ jobId: z.string() })),
  'provision:start': channel(ProvisionRequest, ProvisionAnswer),
  'provision:cancel': channel(JobRef, Job),
  /** A failed or cancelled provision, again with the same plan; a payment stays linked to it. */
  'jobs:retry': channel(JobRef, z.object({ jobId: z.string(), instanceId: z.string() })),
  'jobs:list': channel(JobListQuery, z.array(Job)),
  'jobs:get': channel(JobRef, JobDetail),
  'payments:record': channel(PaymentRequest, z.object({ payment: Payment, created: z.boolean() })),
  'payments:list': channel(Empty, z.array(Payment)),
  'fleet:sync': channel(Empty, FleetSyncSummary),
  /** Unowned servers as the last fleet sync found them (none before the first sync of this run). */
  'unowned:list': channel(Empty, z.array(UnownedServer)),
  /** Takes an unowned server into this store as an adopted instance (checked again against the clouds). */
  'unowned:adopt': channel(UnownedRef, Instance),
  /** Deletes an unowned server with the destroy pipeline (server, tailnet device): adopted, then destroyed. */
  'unowned:delete': channel(UnownedDeleteRequest, z.object({ jobId: z.string(), instanceId: z.string() })),
  'audit:list': channel(AuditQuery, z.array(AuditEntry)),
  'settings:get': channel(Empty, Settings),
  'settings:update': channel(Settings.partial().strict(), Settings),
  'tokens:status': channel(Empty, TokenStatusSchema),
  'tokens:set': channel(TokenSetRequest, ProviderTokenStatusSchema),
  'tokens:test': channel(TokenProviderRef, ProviderTokenStatusSchema),
  'tokens:clear': channel(TokenProviderRef, ProviderTokenStatusSchema),
  /** Deletes every stored token and the vault itself (lost passphrase): typed confirmation, audited. */
  'tokens:reset': channel(TokenResetRequest, TokenStatusSchema),
  /** Desktop only, always answered locally: the team-server connection (never the token). Elsewhere: unavailable. */
  'team:status': channel(Empty, TeamStatusSchema),
  /** Checks the token with the server's app:info, then saves URL (settings) and token (vault); a failed check keeps the old ones. */
  'team:connect': channel(TeamConnectRequest, TeamStatusSchema),
  /** Back to solo mode: forgets the URL and deletes the token from the vault. */
  'team:disconnect': channel(Empty, TeamStatusSchema),
} as const;

// Who may call which channel, and which channels change something: shared/permissions.ts.

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
