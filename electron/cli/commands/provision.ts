// `outpost provision`: from nothing to an enrolled VM with one command (or from a payment).
import { PAYMENT_TO_ENROLLED_TARGET_MS, type Instance, type Job, type Payment } from '../../../shared/domain';
import { formatDuration } from '../../core/provisioning/deadline';
import { green, red } from '../format';
import type { Mode } from '../../boot/runtime';
import { inSession, type CliOptions, type CliSession } from '../session';
import { watchJob } from '../watch-job';
import { provisionBatch } from './provision-batch';

export interface ProvisionOptions {
  region: string;
  type: string;
  image: string;
  agent?: string;
  name?: string;
  payment?: string;
  customer?: string;
  contact?: string;
  amount?: number;
  currency?: string;
  /** How many VMs of this plan (a group); not with a payment or a name. */
  count?: number;
  json: boolean;
}

export async function runProvision(cli: Omit<CliOptions, 'resume'>, opts: ProvisionOptions, print = console.log): Promise<number> {
  return inSession({ ...cli, resume: true }, { json: opts.json, print }, (session) => provision(session, opts, print));
}

async function provision(session: CliSession, opts: ProvisionOptions, print: (line: string) => void): Promise<number> {
  if (opts.count !== undefined && opts.count > 1) return provisionBatch(session, opts, opts.count, print);
  const mode = session.runtime.mode;
  let jobId: string | undefined;
  // First Ctrl+C cancels the job (and its cleanup runs); a second one leaves it to resume later.
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts === 1 && jobId) {
      console.error('\nCancelling: removing what the job created (Ctrl+C again to leave it for `outpost resume`).');
      session.api.call('provision:cancel', { jobId }).catch((e: unknown) => console.error(String(e)));
    } else {
      void session.close().then(() => process.exit(130));
    }
  };
  process.on('SIGINT', onSigint);
  try {
    const started = Date.now();
    let instanceId: string;
    let fresh = true;
    if (opts.payment) {
      const { payment, created } = await session.api.call('payments:record', {
        reference: opts.payment,
        customer: opts.customer ?? opts.agent ?? '',
        contact: opts.contact,
        amount: opts.amount ?? 0,
        currency: opts.currency ?? 'EUR',
        plan: opts.type,
        region: opts.region,
        image: opts.image,
        ...(opts.agent ? { agentName: opts.agent } : {}),
        ...(opts.name ? { name: opts.name } : {}),
      });
      fresh = created;
      if (!created && !opts.json) print(`Payment ${payment.reference} was already recorded (${payment.status}); it provisions only once.`);
      jobId = payment.jobId ?? undefined;
      instanceId = payment.instanceId ?? '';
      if (!jobId) return 1;
    } else {
      const r = await session.api.call('provision:start', {
        region: opts.region,
        serverType: opts.type,
        image: opts.image,
        agentName: opts.agent ?? 'agent',
        ...(opts.name ? { name: opts.name } : {}),
        ...(opts.customer ? { customer: opts.customer } : {}),
      });
      jobId = r.jobId;
      instanceId = r.instanceId;
    }
    if (!opts.json) print(`Provisioning job ${jobId} (${mode})`);
    const job = await watchJob(session, jobId, { json: opts.json, print });
    const { instance } = await session.api.call('instances:get', { instanceId });
    const payment = job.paymentId ? (await session.api.call('payments:list', {})).find((p) => p.id === job.paymentId) : undefined;
    report({ mode, job, instance, payment }, fresh ? Date.now() - started : null, opts.json, print);
    return job.status === 'succeeded' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

interface Outcome {
  mode: Mode;
  job: Job;
  instance: Instance;
  payment: Payment | undefined;
}

function report({ mode, job, instance, payment }: Outcome, ms: number | null, json: boolean, print: (l: string) => void): void {
  if (json) {
    print(JSON.stringify({ type: 'result', mode, ok: job.status === 'succeeded', job, instance, ...(payment ? { payment } : {}) }));
    return;
  }
  if (job.status === 'succeeded') {
    print(green(`Enrolled: ${instance.name}${ms === null ? '' : ` in ${formatDuration(ms)}`}`));
    print(`  server ${instance.serverId}  ipv4 ${instance.publicIpv4}  tailnet ${instance.tailnetIp}  node ${instance.nodeId}`);
    print(`  ssh root@${instance.tailnetIp ?? instance.hostname}`);
    if (payment?.timeToEnrolledMs != null) {
      print(`  payment to enrolled: ${formatDuration(payment.timeToEnrolledMs)} (target ${formatDuration(PAYMENT_TO_ENROLLED_TARGET_MS)}: ${payment.withinTarget ? 'met' : 'missed'})`);
    }
  } else {
    const e = job.error;
    console.error(red(`Job ${job.status}${e ? ` at ${e.step}: ${e.code}: ${e.message}` : ''}`));
    console.error('  Everything it created was removed (see the ↺ lines above).');
  }
}
