// The provision job after `reserve`: mint a key, render user-data, create the server, wait for it
// to run and to enroll, then activate. Resumable from any recorded point (see resumeSecrets).
import type { ProvisionStep } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import { renderUserData } from '../cloudinit';
import { sameZoneAlternatives } from '../catalog';
import { HetznerError, type Action, type CreateServerRequest, type Server } from '../hetzner';
import { tailnetIpv4 } from '../tailscale/devices';
import { keyDescription, revokeJobKeys } from './cleanup';
import { jobLabel, type PipelineContext, type ProvisionState } from './context';
import { withDeadline } from './deadline';
import { LABEL, paymentSelector, serverLabels } from '../fleet/labels';
import type { ProvisionPlan } from './reserve';
import { runStep, StepFailure, timesStarted } from './step';

export interface ProvisionJob {
  jobId: string;
  instanceId: string;
  agentId: string;
  paymentId: string | null;
  plan: ProvisionPlan;
  state: ProvisionState;
}

export async function runProvision(ctx: PipelineContext, job: ProvisionJob, signal: AbortSignal): Promise<void> {
  const { jobId, instanceId, plan } = job;
  let state = await resumeSecrets(ctx, job, signal);
  const step = (name: ProvisionStep, work: Parameters<typeof runStep>[5]) => {
    if (signal.aborted) throw new StepFailure(name, signal.reason);
    return runStep(ctx, jobId, instanceId, name, state, work);
  };

  state = await step('mint_key', async () => {
    // An earlier attempt (before a crash, or whose answer was lost) may have left a key behind.
    if (timesStarted(await ctx.store.jobs.events(jobId), 'mint_key') > 1) {
      await revokeJobKeys(ctx.clouds, jobId, undefined, signal);
    }
    const key = await ctx.clouds.tailscale.keys.create({
      tags: ctx.clouds.tags,
      expirySeconds: ctx.config.keyExpirySeconds,
      ephemeral: true,
      preauthorized: true,
      reusable: false,
      description: keyDescription(jobId),
      signal,
    });
    ctx.secrets.set(jobId, { authKey: key.key });
    return {
      state: { keyId: key.id, keyCreated: key.created },
      instance: { keyId: key.id },
      data: { keyId: key.id, expires: key.expires ?? null, tags: ctx.clouds.tags },
    };
  });

  state = await step('render_user_data', async () => {
    const secret = ctx.secrets.get(jobId);
    if (!secret) throw new OutpostError('internal', 'The auth key is not in memory.');
    const rendered = renderUserData({
      hostname: plan.name,
      authKey: secret.authKey,
      tags: ctx.clouds.tags,
      sshAuthorizedKeys: ctx.sshKeys(),
      joinTimeoutSeconds: ctx.config.joinTimeoutSeconds,
    });
    secret.userData = rendered.text;
    return { data: { bytes: rendered.bytes, sshKeys: ctx.sshKeys().length } };
  });

  state = await step('create_server', async () => {
    const userData = ctx.secrets.get(jobId)?.userData;
    if (!userData) throw new OutpostError('internal', 'The user-data is not in memory.');
    await refuseIfPaymentProvisionedElsewhere(ctx, job, signal);
    // This step's start is journaled before any POST: when it is the only one, this job never posted,
    // and no server can carry its label yet. A resumed or retried step looks it up first, as always.
    const firstPost = timesStarted(await ctx.store.jobs.events(jobId), 'create_server') === 1;
    const { server, actions, region, note } = await createWithFallback(ctx, job, userData, firstPost, signal);
    // Two Outposts can pass the check above at the same moment; the oldest server keeps the
    // payment, and the other job fails here and compensates (its server is found by job label).
    await refuseIfPaymentProvisionedElsewhere(ctx, job, signal);
    // The secret has done its job: it now lives only in Hetzner's copy of the user-data.
    ctx.secrets.delete(jobId);
    if (note) await ctx.journal.record(jobId, { type: 'note', step: 'create_server', data: { message: note } });
    return {
      state: { serverId: server.id, actionIds: actions.map((a) => a.id) },
      instance: { serverId: server.id, region, ...addresses(server) },
      data: { serverId: server.id, region, actions: actions.map((a) => `${a.command}#${a.id}`) },
    };
  });

  state = await step('wait_running', () =>
    withDeadline(signal, ctx.config.runningTimeoutMs, `Server ${state.serverId} running`, async (s) => {
      const serverId = state.serverId!;
      const pending = state.actionIds?.length
        ? state.actionIds.map((id) => ctx.clouds.actions.wait(id, { signal: s }))
        : (await ctx.clouds.hetzner.servers.actions(serverId, { status: ['running'], signal: s })).map((a) => ctx.clouds.actions.waitFor(a, { signal: s }));
      await Promise.all(pending);
      const server = await ctx.clouds.hetzner.servers.get(serverId, { signal: s });
      if (server.status !== 'running') {
        throw new OutpostError('cloud_error', `Server ${serverId} is ${server.status} after its actions finished.`, { apiCode: 'unexpected_status' });
      }
      return { instance: addresses(server), data: { status: server.status, ...addresses(server) } };
    }),
  );

  state = await step('wait_enrolled', () =>
    withDeadline(signal, ctx.config.enrolledTimeoutMs, `Device ${plan.name} enrolled in the tailnet`, async (s) => {
      const device = await ctx.clouds.enrollment.wait(plan.name, { tags: ctx.clouds.tags, ephemeral: true, notBefore: state.keyCreated!, signal: s });
      const tailnetIp = tailnetIpv4(device);
      return {
        state: { nodeId: device.nodeId, tailnetIp: tailnetIp ?? undefined },
        instance: { nodeId: device.nodeId, tailnetIp, enrollment: 'online' },
        data: { nodeId: device.nodeId, tailnetIp, name: device.name },
      };
    }),
  );

  await runStep(ctx, jobId, instanceId, 'activate', state, async () => ({ data: { instanceId } }));
  await finishSucceeded(ctx, job);
}

/**
 * After a restart the key's secret is gone. When the server already exists (the crash came inside
 * create_server, after the POST) it carries the key and is adopted; otherwise the unusable key is
 * revoked and the job mints a new one.
 */
async function resumeSecrets(ctx: PipelineContext, job: ProvisionJob, signal: AbortSignal): Promise<ProvisionState> {
  const state = job.state;
  const done = (s: string) => state.completed.includes(s);
  if (!done('mint_key') || done('create_server') || ctx.secrets.has(job.jobId)) return state;
  const server = await ctx.clouds.hetzner.servers.findServerByLabel(jobLabel(job.jobId), { signal });
  if (server) {
    const next: ProvisionState = { ...state, serverId: server.id, completed: [...new Set([...state.completed, 'render_user_data', 'create_server'])] };
    await ctx.journal.record(
      job.jobId,
      { type: 'note', step: 'create_server', data: { message: `Found server ${server.id} created before the restart; continuing with it.` } },
      { state: next },
      { id: job.instanceId, patch: { serverId: server.id, region: server.location?.name ?? job.plan.region, ...addresses(server) } },
    );
    return next;
  }
  const revoked = await revokeJobKeys(ctx.clouds, job.jobId, state.keyId, signal);
  const next: ProvisionState = { ...state, keyId: undefined, keyCreated: undefined, completed: state.completed.filter((s) => s !== 'mint_key' && s !== 'render_user_data') };
  await ctx.journal.record(
    job.jobId,
    { type: 'note', step: 'mint_key', data: { message: 'The auth key did not survive the restart: revoked it, minting a new one.', key: revoked.outcome } },
    { state: next },
  );
  return next;
}

/**
 * Two Outposts sharing a Hetzner project must not both provision one payment: the payment belongs
 * to the oldest server carrying its label. Hetzner has no conditional create, so this is checked
 * before the create and again after it.
 */
async function refuseIfPaymentProvisionedElsewhere(ctx: PipelineContext, job: ProvisionJob, signal: AbortSignal): Promise<void> {
  if (!job.paymentId) return;
  const payment = await ctx.store.payments.get(job.paymentId);
  if (!payment) return;
  const other = await ctx.clouds.hetzner.servers.findServerByLabel(paymentSelector(payment.reference), { signal });
  if (other && other.labels[LABEL.job] !== job.jobId) {
    throw new OutpostError('conflict', `Payment ${payment.reference} is already provisioned by server ${other.name} (${other.id}).`, {
      apiCode: 'payment_already_provisioned',
      hint: 'Another Outpost sharing this Hetzner project provisioned it. Check that server before provisioning again.',
    });
  }
}

async function createWithFallback(
  ctx: PipelineContext,
  job: ProvisionJob,
  userData: string,
  firstPost: boolean,
  signal: AbortSignal,
): Promise<{ server: Server; actions: Action[]; region: string; note: string | null }> {
  const tried: string[] = [];
  let region = job.plan.region;
  for (;;) {
    tried.push(region);
    try {
      // Only the step's first POST may skip the lookup; after a refused location the lookup comes back.
      const result = await ctx.clouds.hetzner.servers.ensureServer(await createRequest(ctx, job, userData, region), {
        labelSelector: jobLabel(job.jobId),
        firstPost: firstPost && tried.length === 1,
        signal,
      });
      const actualRegion = result.server.location?.name ?? region;
      const note = tried.length > 1 ? `${job.plan.serverType} was unavailable in ${tried.slice(0, -1).join(', ')}; created in ${actualRegion} (same network zone).` : null;
      const actions = result.outcome === 'created' ? result.actions : result.actions.filter((a) => a.status === 'running');
      return { server: result.server, actions, region: actualRegion, note };
    } catch (err) {
      const unavailable = err instanceof HetznerError && err.apiCode === 'resource_unavailable';
      if (!unavailable || !ctx.config.locationFallback) throw err;
      await ctx.clouds.hetzner.catalog.refresh({ signal });
      const next = sameZoneAlternatives(ctx.clouds.hetzner, job.plan.serverType, job.plan.region).find((l) => !tried.includes(l));
      if (!next) throw err;
      await ctx.journal.record(job.jobId, { type: 'note', step: 'create_server', data: { message: `${region}: ${err.message}; trying ${next}.` } });
      region = next;
    }
  }
}

async function createRequest(ctx: PipelineContext, job: ProvisionJob, userData: string, region: string): Promise<CreateServerRequest> {
  const payment = job.paymentId ? await ctx.store.payments.get(job.paymentId) : undefined;
  const labels = serverLabels({
    jobId: job.jobId,
    storeId: await ctx.store.meta.storeId(),
    agentName: job.plan.agentName,
    plan: payment?.plan ?? job.plan.serverType,
    paymentReference: payment?.reference ?? null,
    customer: ctx.labelCustomerNames?.() ? (payment?.customer ?? job.plan.customer) : null,
  });
  return {
    name: job.plan.name,
    server_type: job.plan.serverType,
    image: job.plan.image,
    location: region,
    user_data: userData,
    labels,
    start_after_create: true,
    public_net: { enable_ipv4: true, enable_ipv6: true },
  };
}

const addresses = (server: Server) => ({
  publicIpv4: server.public_net.ipv4?.ip ?? null,
  publicIpv6: server.public_net.ipv6?.ip ?? null,
});


async function finishSucceeded(ctx: PipelineContext, job: ProvisionJob): Promise<void> {
  const at = ctx.journal.now();
  const event = await ctx.journal.transaction(job.jobId, async (tx) => {
    await tx.instances.update(job.instanceId, { status: 'running' }, at);
    await tx.agents.setStatus(job.agentId, 'active', at);
    if (job.paymentId) await tx.payments.update(job.paymentId, { status: 'fulfilled', instanceId: job.instanceId, enrolledAt: at });
    await tx.jobs.update(job.jobId, { status: 'succeeded', finishedAt: at }, at);
    return tx.jobs.appendEvent(job.jobId, { type: 'job_finished', data: { status: 'succeeded' } }, at);
  });
  await ctx.journal.publish(job.jobId, event);
  await ctx.journal.publishInstance(job.instanceId);
}
