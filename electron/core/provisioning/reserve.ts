// Step 1, `reserve`: everything that can be checked before spending money is checked here, and the
// rows (agent, instance, job) are created in one transaction with the step's events. Bad input
// is refused with a typed error and writes nothing.
import type { z } from 'zod';
import type { ProvisionRequest } from '../../../shared/contract';
import { OutpostError } from '../../../shared/errors';
import { refreshCatalog, sameZoneAlternatives } from '../catalog';
import type { Clouds } from '../clouds';
import type { Store } from '../db/store';
import { newId } from '../ids';
import type { PipelineConfig } from './config';
import type { ProvisionPlan } from './job-records';
import { vmName } from './naming';

export type ProvisionInput = z.output<typeof ProvisionRequest>;

export type { ProvisionPlan } from './job-records';

export async function planProvision(store: Store, clouds: Clouds, config: PipelineConfig, input: ProvisionInput): Promise<ProvisionPlan> {
  await refreshCatalog(store, clouds.hetzner, config.catalogMaxAgeMs);
  const catalog = clouds.hetzner.catalog;
  if (!catalog.location(input.region)) {
    throw new OutpostError('invalid_input', `Unknown region "${input.region}".`, {
      hint: `Choose one of: ${catalog.locations().map((l) => l.name).join(', ')}.`,
    });
  }
  const type = catalog.serverType(input.serverType);
  if (!type) {
    throw new OutpostError('invalid_input', `Unknown server type "${input.serverType}".`, {
      hint: `Choose one of: ${catalog.serverTypes().map((t) => t.name).join(', ')}.`,
    });
  }
  if (!catalog.image(input.image, type.architecture)) {
    const names = [...new Set(catalog.images(type.architecture).map((i) => i.name).filter(Boolean))];
    throw new OutpostError('invalid_input', `Image "${input.image}" does not exist for ${type.architecture} (the architecture of ${type.name}).`, {
      hint: `Choose one of: ${names.join(', ')}.`,
    });
  }
  let region = input.region;
  let fallbackReason: string | null = null;
  if (!catalog.availability(type.name, region).available) {
    const alternatives = sameZoneAlternatives(clouds.hetzner, type.name, region);
    if (!config.locationFallback || alternatives.length === 0) {
      throw new OutpostError('unavailable', `${type.name} cannot be ordered in ${region} right now.`, {
        apiCode: 'resource_unavailable',
        hint: alternatives.length
          ? `It is available in ${alternatives.join(', ')} (same network zone).`
          : 'Choose another server type or region, or try again later.',
      });
    }
    region = alternatives[0]!;
    fallbackReason = `${type.name} is not available in ${input.region}; using ${region} in the same network zone.`;
  }
  // A generated name that happens to be taken is simply drawn again; a chosen one is the operator's call.
  let name = input.name ?? vmName(input.agentName);
  for (let draw = 0; !input.name && draw < 5 && (await store.instances.liveByName(name)); draw++) name = vmName(input.agentName);
  if (await store.instances.liveByName(name)) {
    throw new OutpostError('conflict', `A VM named "${name}" already exists.`, { hint: 'Pick another name, or leave it empty to generate one.' });
  }
  return {
    name,
    agentName: input.agentName,
    customer: input.customer ?? null,
    requestedRegion: input.region,
    region,
    serverType: type.name,
    image: input.image,
    architecture: type.architecture,
    monthlyPriceGross: catalog.availability(type.name, region).price?.price_monthly.gross ?? null,
    fallbackReason,
  };
}

export interface Reservation {
  jobId: string;
  instanceId: string;
  agentId: string;
}

/**
 * Writes the rows and the reserve step's events. Inside a store transaction, pass its `tx` when other
 * rows must land with it (a payment); it is atomic on its own otherwise. Store work only, as any
 * transaction callback: it may be run again.
 */
export async function insertReservation(
  store: Store,
  plan: ProvisionPlan,
  at: string,
  paymentId: string | null,
  planMs: number,
  /** The failed job this retries; at most one job may name it (jobs_retry_of is UNIQUE). */
  retryOf: string | null = null,
  /** The batch it belongs to (Provision with a quantity). */
  groupId: string | null = null,
): Promise<Reservation> {
  const ids: Reservation = { jobId: newId('job'), instanceId: newId('ins'), agentId: newId('agt') };
  await store.transaction(async (tx) => {
    await tx.agents.insert({ id: ids.agentId, name: plan.agentName, customer: plan.customer, at });
    await tx.jobs.insert({ id: ids.jobId, kind: 'provision', instanceId: ids.instanceId, paymentId, params: { ...plan }, at, retryOf, groupId });
    await tx.instances.insert({
      id: ids.instanceId,
      name: plan.name,
      agentId: ids.agentId,
      jobId: ids.jobId,
      region: plan.region,
      serverType: plan.serverType,
      image: plan.image,
      hostname: plan.name,
      monthlyPriceGross: plan.monthlyPriceGross,
      at,
    });
    await tx.jobs.appendEvent(ids.jobId, { type: 'job_created', data: { kind: 'provision', paymentId } }, at);
    await tx.jobs.appendEvent(ids.jobId, { type: 'step_started', step: 'reserve' }, at);
    if (plan.fallbackReason) await tx.jobs.appendEvent(ids.jobId, { type: 'note', step: 'reserve', data: { message: plan.fallbackReason } }, at);
    await tx.jobs.appendEvent(
      ids.jobId,
      { type: 'step_succeeded', step: 'reserve', durationMs: Math.max(0, Math.round(planMs)), data: { region: plan.region, name: plan.name } },
      at,
    );
    await tx.jobs.update(ids.jobId, { status: 'running', step: 'reserve', state: { completed: ['reserve'] } }, at);
  });
  return ids;
}

/** The input that produced a plan, for a retry: same region asked for, type, image, agent; a fresh name. */
export const retryInput = (plan: ProvisionPlan): ProvisionInput => ({
  region: plan.requestedRegion,
  serverType: plan.serverType,
  image: plan.image,
  agentName: plan.agentName,
  ...(plan.customer ? { customer: plan.customer } : {}),
});
