// The job's memory. Every change of a job is written here, in one transaction with the row it
// changes, before the next step starts; the event then goes out as a hint to the renderer.
import type { Instance, Job, JobEvent } from '../../../shared/domain';
import type { Store } from '../db/store';
import type { InstancePatch } from '../db/repos/instances';
import type { JobPatch, NewEvent } from '../db/repos/jobs';
import type { Clock, EventSink } from '../ports';

export class Journal {
  constructor(
    private readonly store: Store,
    private readonly events: EventSink,
    private readonly clock: Clock,
  ) {}

  now(): string {
    return new Date(this.clock.now()).toISOString();
  }

  /** Appends an event and applies the patches atomically, then tells the renderer. */
  record(jobId: string, event: NewEvent, patch: JobPatch = {}, instance?: { id: string; patch: InstancePatch }): JobEvent {
    const at = this.now();
    const written = this.store.transaction(() => {
      const e = this.store.jobs.appendEvent(jobId, event, at);
      this.store.jobs.update(jobId, patch, at);
      if (instance) this.store.instances.update(instance.id, instance.patch, at);
      return e;
    });
    this.publish(jobId, written);
    if (instance) this.publishInstance(instance.id);
    return written;
  }

  /** Publishes the job's current row with the event that changed it. */
  publish(jobId: string, event: JobEvent | null): void {
    const job: Job | undefined = this.store.jobs.get(jobId);
    if (job) this.events.emit('job:progress', { jobId, seq: event?.seq ?? 0, job, event });
  }

  publishInstance(instanceId: string): void {
    const instance: Instance | undefined = this.store.instances.get(instanceId);
    if (instance) this.events.emit('instance:changed', { instance });
  }
}
