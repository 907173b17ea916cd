// What an instance's status means to an operator, beyond the stored enum: which instances have ended
// (nothing to act on: the server was deleted or never finished), and the status to show, which tells
// a drifted VM (server gone from the cloud) from a running one.
import type { Instance } from './domain';

/** Instances that have ended: a failed or cancelled provision (its server cleaned up) or a destroyed VM. */
export const ENDED_INSTANCE_STATUSES = ['failed', 'destroyed'] as const;

export const isEnded = (i: Pick<Instance, 'status'>): boolean => (ENDED_INSTANCE_STATUSES as readonly string[]).includes(i.status);

/** The status shown for an instance: its stored status, except that a server gone from the cloud says so. */
export const SERVER_GONE = 'server gone';

export function shownStatus(i: Pick<Instance, 'status' | 'drift'>): string {
  return i.drift && !isEnded(i) ? SERVER_GONE : i.status;
}
