// Provision with a quantity: one plan checked once, N distinct names, and every row of every VM
// recorded in one transaction, so a batch is either wholly recorded or not at all (a failure while
// recording the 7th VM leaves no trace of the first six).
import { OutpostError } from '../../../shared/errors';
import type { Store } from '../db/store';
import { newId } from '../ids';
import type { ProvisionPlan } from './job-records';
import { vmName } from './naming';
import { insertReservation, type Reservation } from './reserve';

export interface Batch {
  groupId: string;
  reservations: Reservation[];
}

/**
 * The plan of each VM of a batch: the checked plan with a fresh name each, distinct from each other
 * and from every live VM (a taken name is drawn again, as for one VM).
 */
export async function batchPlans(store: Store, plan: ProvisionPlan, quantity: number): Promise<ProvisionPlan[]> {
  const names = new Set<string>([plan.name]);
  const taken = async (name: string) => names.has(name) || !!(await store.instances.liveByName(name));
  while (names.size < quantity) {
    let name = vmName(plan.agentName);
    for (let draw = 0; draw < 5 && (await taken(name)); draw++) name = vmName(plan.agentName);
    if (await taken(name)) {
      throw new OutpostError('conflict', `Could not draw ${quantity} free VM names for ${plan.agentName}.`, { hint: 'Try again, or provision fewer VMs.' });
    }
    names.add(name);
  }
  return [...names].map((name) => ({ ...plan, name }));
}

/** Records every VM of the batch in one transaction, all carrying one group id; nothing is launched here. */
export async function insertBatch(store: Store, plans: readonly ProvisionPlan[], at: string, planMs: number): Promise<Batch> {
  const groupId = newId('grp');
  const reservations = await store.transaction(async (tx) => {
    // One after the other: the queries of a transaction share its one connection. The list is made
    // inside the callback, so a re-run (PostgreSQL serialization retry) starts it afresh.
    const made: Reservation[] = [];
    for (const plan of plans) made.push(await insertReservation(tx, plan, at, null, planMs, null, groupId));
    return made;
  });
  return { groupId, reservations };
}
