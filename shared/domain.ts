// DTOs that cross the contract. zod schemas, so the same declaration gives the type, the runtime
// check in contract tests, and inline validation in the renderer.
import { z } from 'zod';

export const MODES = ['sandbox', 'live'] as const;
export const ROLES = ['operator', 'support', 'payments'] as const;

/** Who asked for live mode: the `--mode live` option, the saved setting, or credentials in the environment. */
export const LIVE_REQUEST_SOURCES = ['option', 'setting', 'environment'] as const;

/** Why live mode cannot be used, and what fixes it (shown by the CLI and the panel's blocking screen). */
export const LiveUnavailable = z.object({
  reason: z.string(),
  hint: z.string(),
  requestedBy: z.enum(LIVE_REQUEST_SOURCES),
});
export type LiveUnavailable = z.infer<typeof LiveUnavailable>;

export const AppInfo = z.object({
  name: z.literal('Outpost'),
  version: z.string(),
  mode: z.enum(MODES),
  role: z.enum(ROLES),
  /** Where the store, settings and vault live. Shown so support can find the files. */
  dataDir: z.string(),
  transport: z.enum(['ipc', 'http']),
  /** Things the operator should know about this run (e.g. a damaged vault was moved aside). */
  notices: z.array(z.string()),
  /**
   * Set when live mode was asked for and cannot be used: nothing runs (no cloud, no store) until
   * the operator fixes it or switches to sandbox on purpose. Null in every usable state.
   */
  liveUnavailable: LiveUnavailable.nullable(),
  /**
   * Sandbox only: how fast the simulated clouds run (0.05 = a simulated minute passes in 3 s), so
   * the panel can show durations in simulated time; null in live mode and in a blocked panel.
   */
  simTimeScale: z.number().positive().nullable(),
  /** What the core runs on, read from the process (not the renderer's user agent). */
  runtime: z.object({
    /** null outside Electron (browser mode, the command). */
    electron: z.string().nullable(),
    chromium: z.string().nullable(),
    node: z.string(),
    /** e.g. "Linux 6.1.0 x64". */
    os: z.string(),
  }),
  /** The desktop app can open the data directory in the file manager (app:openDataDir). */
  canOpenDataDir: z.boolean(),
  /** The desktop app can restart itself (app:restart), e.g. to apply a mode switch. */
  canRestart: z.boolean(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Price = z.object({ net: z.string(), gross: z.string() });

/** The chosen server type in one region: orderable or not, and at what price. */
export const RegionOffer = z.object({
  serverType: z.string(),
  available: z.boolean(),
  /** Why not, in words an operator can act on. */
  reason: z.string().nullable(),
  monthlyGross: z.string().nullable(),
  hourlyGross: z.string().nullable(),
});
export type RegionOffer = z.infer<typeof RegionOffer>;

export const Region = z.object({
  name: z.string(), // Hetzner location name, e.g. fsn1
  description: z.string(),
  city: z.string(),
  country: z.string(),
  networkZone: z.string(),
  /** Outpost VMs (not destroyed) in this region, from the store. */
  instanceCount: z.number().int().nonnegative(),
  /** Server types orderable here right now (`server_type.locations[].available`). */
  availableServerTypes: z.array(z.string()),
  /** Present when the request named a server type. */
  offer: RegionOffer.nullable(),
});
export type Region = z.infer<typeof Region>;

export const ServerTypeInfo = z.object({
  name: z.string(),
  description: z.string(),
  cores: z.number(),
  memoryGb: z.number(),
  diskGb: z.number(),
  architecture: z.string(),
  cpuType: z.string(),
  prices: z.array(z.object({ location: z.string(), monthlyGross: z.string(), hourlyGross: z.string() })),
  locations: z.array(z.object({ name: z.string(), available: z.boolean() })),
});
export type ServerTypeInfo = z.infer<typeof ServerTypeInfo>;

export const ImageInfo = z.object({ name: z.string(), description: z.string(), architecture: z.string(), osFlavor: z.string() });
export type ImageInfo = z.infer<typeof ImageInfo>;

export const Catalog = z.object({
  serverTypes: z.array(ServerTypeInfo),
  images: z.array(ImageInfo),
  refreshedAt: z.string().nullable(),
});
export type Catalog = z.infer<typeof Catalog>;

export const INSTANCE_STATUSES = ['provisioning', 'running', 'failed', 'destroying', 'destroyed'] as const;
export const ENROLLMENTS = ['pending', 'online', 'offline', 'gone'] as const;
/** local: this store's provision created it; adopted: fleet sync (or an operator) took it in from the cloud's labels. */
export const INSTANCE_ORIGINS = ['local', 'adopted'] as const;

export const Instance = z.object({
  id: z.string(),
  name: z.string(),
  agentId: z.string(),
  agentName: z.string(),
  customer: z.string().nullable(),
  region: z.string(),
  serverType: z.string(),
  image: z.string(),
  status: z.enum(INSTANCE_STATUSES),
  serverId: z.number().int().nullable(),
  publicIpv4: z.string().nullable(),
  publicIpv6: z.string().nullable(),
  tailnetIp: z.string().nullable(),
  nodeId: z.string().nullable(),
  hostname: z.string(),
  enrollment: z.enum(ENROLLMENTS),
  lastSeen: z.string().nullable(),
  /** In the store but gone from the cloud (fleet sync). */
  drift: z.boolean(),
  monthlyPriceGross: z.string().nullable(),
  jobId: z.string().nullable(),
  /** Who created it: this store's job, or another Outpost (adopted from the `outpost.*` labels; no local job history). */
  origin: z.enum(INSTANCE_ORIGINS),
  /** The id of the Outpost store that created it (this store's own id for local ones; null when its labels do not say). */
  originStore: z.string().nullable(),
  /** When this store adopted it (null for local ones). */
  adoptedAt: z.string().nullable(),
  /** The payment it was provisioned for (as its `outpost.payment` label reads, for adopted ones). */
  paymentReference: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Instance = z.infer<typeof Instance>;

export const JOB_KINDS = ['provision', 'destroy'] as const;
export const JOB_STATUSES = ['queued', 'running', 'compensating', 'succeeded', 'failed', 'cancelled'] as const;
export const TERMINAL_JOB_STATUSES = ['succeeded', 'failed', 'cancelled'] as const;
export const PROVISION_STEPS = [
  'reserve',
  'mint_key',
  'render_user_data',
  'create_server',
  'wait_running',
  'wait_enrolled',
  'activate',
] as const;
export type ProvisionStep = (typeof PROVISION_STEPS)[number];
/** A destroy's steps, which are also the parts of a failed provision's compensation. */
export const DESTROY_STEPS = ['delete_server', 'delete_device', 'revoke_key'] as const;
export type DestroyStep = (typeof DESTROY_STEPS)[number];
export type JobStep = ProvisionStep | DestroyStep;

/** The one answer to "is this job finished?" (succeeded, failed or cancelled: nothing runs any more). */
export const isTerminalStatus = (status: string): status is (typeof TERMINAL_JOB_STATUSES)[number] =>
  (TERMINAL_JOB_STATUSES as readonly string[]).includes(status);
export const isTerminal = (job: { status: string }): boolean => isTerminalStatus(job.status);

/** Most VMs one Provision may record at once (a batch): enough for a team, few enough to review. */
export const PROVISION_QUANTITY_MAX = 50;

export const JobError = z.object({ step: z.string(), code: z.string(), message: z.string() });

export const Job = z.object({
  id: z.string(),
  kind: z.enum(JOB_KINDS),
  status: z.enum(JOB_STATUSES),
  step: z.string().nullable(),
  instanceId: z.string().nullable(),
  paymentId: z.string().nullable(),
  error: JobError.nullable(),
  /** The failed or cancelled job this one retries. */
  retryOf: z.string().nullable(),
  /** The job that retried this one: a job is retried at most once. */
  retriedBy: z.string().nullable(),
  /** The batch this provision was recorded with (Provision with a quantity); null or absent when alone. */
  groupId: z.string().nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Job = z.infer<typeof Job>;

export const JOB_EVENT_TYPES = [
  'job_created',
  'step_started',
  'step_succeeded',
  'step_failed',
  'compensation',
  'note',
  'job_finished',
] as const;

export const JobEvent = z.object({
  jobId: z.string(),
  seq: z.number().int().positive(),
  at: z.string(),
  type: z.enum(JOB_EVENT_TYPES),
  step: z.string().nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type JobEvent = z.infer<typeof JobEvent>;

/** A paying customer's VM should be enrolled within this of the payment being recorded. */
export const PAYMENT_TO_ENROLLED_TARGET_MS = 5 * 60_000;

export const PAYMENT_STATUSES = ['recorded', 'provisioning', 'fulfilled', 'failed'] as const;

export const Payment = z.object({
  id: z.string(),
  reference: z.string(),
  customer: z.string(),
  contact: z.string().nullable(),
  amountCents: z.number().int().nonnegative(),
  currency: z.string(),
  plan: z.string(),
  region: z.string(),
  note: z.string().nullable(),
  status: z.enum(PAYMENT_STATUSES),
  jobId: z.string().nullable(),
  instanceId: z.string().nullable(),
  recordedAt: z.string(),
  enrolledAt: z.string().nullable(),
  /** Payment recorded → VM enrolled, when it has happened. */
  timeToEnrolledMs: z.number().int().nonnegative().nullable(),
  /** timeToEnrolledMs against PAYMENT_TO_ENROLLED_TARGET_MS; null until enrolled. */
  withinTarget: z.boolean().nullable(),
});
export type Payment = z.infer<typeof Payment>;

/** refused: the caller may not, or the request was wrong (nothing changed); error: it failed while trying. */
export const AUDIT_OUTCOMES = ['ok', 'refused', 'error'] as const;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  role: z.enum(ROLES),
  action: z.string(),
  target: z.string().nullable(),
  /** What the target is called (VM name, payment customer, setting names), for people reading the log. */
  targetName: z.string().nullable(),
  outcome: z.enum(AUDIT_OUTCOMES),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const JobDetail = z.object({ job: Job, events: z.array(JobEvent) });
export type JobDetail = z.infer<typeof JobDetail>;

export const InstanceDetail = z.object({ instance: Instance, jobs: z.array(JobDetail) });
export type InstanceDetail = z.infer<typeof InstanceDetail>;

/**
 * A server with Outpost's managed label that no desktop will finish or remove: not in this store, no
 * local job owns it, no tailnet device for it, and older than a provision job can live (README
 * "One fleet, many desktops"). Listed with Adopt and Delete; what its labels say, decoded.
 */
export const UnownedServer = z.object({
  serverId: z.number().int(),
  name: z.string(),
  status: z.string(),
  created: z.string(),
  region: z.string().nullable(),
  serverType: z.string().nullable(),
  publicIpv4: z.string().nullable(),
  jobId: z.string().nullable(),
  agentName: z.string().nullable(),
  paymentReference: z.string().nullable(),
  originStore: z.string().nullable(),
});
export type UnownedServer = z.infer<typeof UnownedServer>;

export const FleetSyncSummary = z.object({
  at: z.string(),
  updated: z.number().int(),
  /** Instances taken in from another Outpost's servers by this sync. */
  adopted: z.array(z.string()),
  /** Instances whose server and tailnet device are gone: destroyed by an Outpost (this or another desktop). */
  destroyed: z.array(z.string()),
  /** Instances whose server is gone while the tailnet still holds their device: deleted outside Outpost. */
  drifted: z.array(z.string()),
  unowned: z.array(UnownedServer),
  /** Managed servers being provisioned elsewhere (young, not enrolled yet): adopted once enrolled. */
  pending: z.number().int(),
  devices: z.enum(['ok', 'skipped', 'failed']),
});
export type FleetSyncSummary = z.infer<typeof FleetSyncSummary>;

const TAG = /^tag:[A-Za-z][A-Za-z0-9-]*$/;

/** Non-secret preferences. Tokens are never here: they live in the vault, write-only. */
export const Settings = z.object({
  operatorName: z.string().trim().min(1, 'enter your name').max(120),
  role: z.enum(ROLES),
  mode: z.enum(MODES),
  /** Tags every minted key carries: exactly the Tailscale OAuth client's tags (live mode). */
  tailscaleTags: z.array(z.string().regex(TAG, 'a tag is tag: followed by a letter, then letters, digits or dashes')).max(20),
  /** OpenSSH public keys put on every new VM. */
  sshKeys: z.array(z.string().trim().min(1).max(16_384)).max(50),
  defaultRegion: z.string().max(32).nullable(),
  defaultServerType: z.string().max(32).nullable(),
  defaultImage: z.string().max(64),
  /** On resource_unavailable, create in another location of the same network zone. */
  locationFallback: z.boolean(),
  /**
   * Desktop app on Linux without a keychain: let safeStorage's basic_text backend (a hard-coded key,
   * readable by any program running as this user) protect the tokens. Off: such systems refuse to store them.
   */
  acceptBasicTextEncryption: z.boolean(),
  /**
   * Put the customer's name on new servers (`outpost.customer`), so other desktops show it. Off: the
   * cloud holds the payment reference alone, and customer names stay in this store.
   */
  labelCustomerNames: z.boolean(),
});
export type Settings = z.infer<typeof Settings>;

export const DEFAULT_SETTINGS: Settings = {
  operatorName: 'operator',
  role: 'operator',
  mode: 'sandbox',
  tailscaleTags: [],
  sshKeys: [],
  defaultRegion: null,
  defaultServerType: null,
  defaultImage: 'ubuntu-24.04',
  locationFallback: true,
  acceptBasicTextEncryption: false,
  labelCustomerNames: false,
};
