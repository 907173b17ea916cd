// DTOs that cross the contract. zod schemas, so the same declaration gives the type, the runtime
// check in contract tests, and inline validation in the renderer.
import { z } from 'zod';

export const MODES = ['sandbox', 'live'] as const;
export const ROLES = ['operator', 'support'] as const;

export const AppInfo = z.object({
  name: z.literal('Outpost'),
  version: z.string(),
  mode: z.enum(MODES),
  role: z.enum(ROLES),
  /** Where the store, settings and vault live. Shown so support can find the files. */
  dataDir: z.string(),
  transport: z.enum(['ipc', 'http']),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const Price = z.object({ net: z.string(), gross: z.string() });

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
});
export type Region = z.infer<typeof Region>;

export const INSTANCE_STATUSES = ['provisioning', 'running', 'failed', 'destroying', 'destroyed'] as const;
export const ENROLLMENTS = ['pending', 'online', 'offline', 'gone'] as const;

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

export const JobError = z.object({ step: z.string(), code: z.string(), message: z.string() });

export const Job = z.object({
  id: z.string(),
  kind: z.enum(JOB_KINDS),
  status: z.enum(JOB_STATUSES),
  step: z.string().nullable(),
  instanceId: z.string().nullable(),
  paymentId: z.string().nullable(),
  error: JobError.nullable(),
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
});
export type Payment = z.infer<typeof Payment>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: z.string(),
  role: z.enum(ROLES),
  action: z.string(),
  target: z.string().nullable(),
  outcome: z.enum(['ok', 'refused', 'error']),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
