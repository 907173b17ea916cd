// The job's memory. Every change of a job is written here, in one transaction with the row it
// changes, before the next step starts; the event then goes out as a hint to the renderer. Each such
// transaction first checks that this process still holds the job (lease.ts: fencing), so a process
// that lost the job to another one writes nothing more to it.
import type { Instance, Job, JobEvent } from '../../../shared/domain';
import type { Store } from '../db/store';
import type { InstancePatch } from '../db/repos/instances';
import type { JobPatch, NewEvent } from '../db/repos/jobs';
import type { Clock, EventSink } from '../ports';
import type { Leases } from './lease';

export class Journal {
  constructor(
    private readonly store: Store,
    private readonly events: EventSink,
    private readonly clock: Clock,
    private readonly leases: Pick<Leases, 'fence'> | null = null,
  ) {}

  now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /**
   * Appends an event and applies the patches atomically, then tells the renderer. Resolves once the
   * write has committed: a caller that awaits it knows the change is recorded before its next step.
   */
  async record(jobId: string, event: NewEvent, patch: JobPatch = {}, instance?: { id: string; patch: InstancePatch }): Promise<JobEvent> {
    const at = this.now();
    const written = await this.transaction(jobId, async (tx) => {
      const e = await tx.jobs.appendEvent(jobId, event, at);
      await tx.jobs.update(jobId, patch, at);
      if (instance) await tx.instances.update(instance.id, instance.patch, at);
      return e;
    });
    // Only after the commit: a renderer told of a change must be able to read it.
    await this.publish(jobId, written);
    if (instance) await this.publishInstance(instance.id);
    return written;
  }

  /**
   * A store transaction writing the job's progress (a finish writes its instance, agent and payment
   * too): refused with LeaseLost, writing nothing, when this is a run of the job that lost its lease.
   */
  async transaction<T>(jobId: string, fn: (tx: Store) => Promise<T>): Promise<T> {
    return this.store.transaction(async (tx) => {
      await this.leases?.fence(tx, jobId);
      return fn(tx);
    });
  }

  /** Publishes the job's current row with the event that changed it. */
  async publish(jobId: string, event: JobEvent | null): Promise<void> {
    const job: Job | undefined = await this.store.jobs.get(jobId);
    if (job) this.events.emit('job:progress', { jobId, seq: event?.seq ?? 0, job, event });
  }

  async publishInstance(instanceId: string): Promise<void> {
    const instance: Instance | undefined = await this.store.instances.get(instanceId);
    if (instance) this.events.emit('instance:changed', { instance });
  }
}
