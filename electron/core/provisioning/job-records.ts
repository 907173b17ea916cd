// What a job keeps in the store (its params and its private state), with the schemas that check it
// when it is read back. A row edited by hand, written by a newer version or damaged is a typed
// `corrupt` error naming the job and the field, before any step acts on it — never a crash later.
import { z } from 'zod';
import { OutpostError } from '../../../shared/errors';
import type { JobRecord } from '../db/repos/jobs';

/** What reserve decided; stored as a provision job's params. */
export const ProvisionPlanSchema = z.object({
  name: z.string().min(1),
  agentName: z.string().min(1),
  customer: z.string().nullable(),
  requestedRegion: z.string().min(1),
  region: z.string().min(1),
  serverType: z.string().min(1),
  image: z.string().min(1),
  architecture: z.string().min(1),
  monthlyPriceGross: z.string().nullable(),
  /** Why the region differs from the one asked for, if it does. */
  fallbackReason: z.string().nullable(),
});
export type ProvisionPlan = z.infer<typeof ProvisionPlanSchema>;

/** The job's private progress, kept in `jobs.state` and written with each step's end. */
export const ProvisionStateSchema = z.object({
  completed: z.array(z.string()).default([]),
  keyId: z.string().optional(),
  keyCreated: z.string().optional(),
  serverId: z.number().int().optional(),
  actionIds: z.array(z.number().int()).optional(),
  nodeId: z.string().optional(),
  tailnetIp: z.string().optional(),
  /** Compensations already done (a resumed compensation skips them). */
  compensated: z.array(z.string()).optional(),
});
export type ProvisionState = z.infer<typeof ProvisionStateSchema>;

/** A destroy job's params: the provision job whose labels find the server. */
export const DestroyParamsSchema = z.object({ provisionJobId: z.string().nullable().default(null) });

function parseStored<T extends z.ZodType>(schema: T, value: unknown, jobId: string, what: 'params' | 'state'): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.length ? issue.path.join('.') : what;
  throw new OutpostError('corrupt', `Job ${jobId}: its stored ${what} fail their check at "${field}" (${issue?.message ?? 'invalid'}).`, {
    hint: 'Nothing was done with it. The row was changed outside Outpost or by another version; restore the data directory from a backup, or leave the job as it is.',
  });
}

export const provisionPlanOf = (record: JobRecord): ProvisionPlan => parseStored(ProvisionPlanSchema, record.params, record.job.id, 'params');
export const provisionStateOf = (record: JobRecord): ProvisionState => parseStored(ProvisionStateSchema, record.state, record.job.id, 'state');
export const destroyParamsOf = (record: JobRecord) => parseStored(DestroyParamsSchema, record.params, record.job.id, 'params');
