// fleet:sync and the unowned servers' channels. Adopt and Delete look at the clouds again before
// acting (the list may be a minute old, another desktop may have acted since): only a server that
// carries Outpost's managed label, that no live instance or local job owns and that no job can still
// be working on is touched. Delete is a destroy: the server is adopted and the destroy pipeline runs
// (server, tailnet device, any key still valid), with its job history here.
import type { ParsedReq } from '../../../shared/contract';
import type { FleetSyncSummary, Instance, UnownedServer } from '../../../shared/domain';
import { OutpostError } from '../../../shared/errors';
import type { Store } from '../db/store';
import { adoptServer } from '../fleet/adopt';
import type { FleetSyncReport } from '../fleet/fleet-sync';
import { isManaged, LABEL } from '../fleet/labels';
import { classify, type Verdict } from '../fleet/ledger';
import type { Server } from '../hetzner/types';
import { insertDestroy } from '../provisioning/destroy';
import type { ServicesDeps } from './deps';

export const summaryOf = (report: FleetSyncReport): FleetSyncSummary => ({
  at: report.at,
  updated: report.updated.length,
  adopted: report.adopted,
  destroyed: report.destroyed,
  drifted: report.drifted,
  unowned: report.unowned,
  pending: report.pending,
  devices: report.devices,
});

export function fleetServices(deps: ServicesDeps) {
  const { store, fleetSync, clouds, runner, pipeline } = deps;
  const now = () => new Date(deps.clock.now()).toISOString();

  const sync = async (): Promise<FleetSyncReport> => {
    const report = await fleetSync.sync();
    for (const id of report.updated) await pipeline.journal.publishInstance(id);
    return report;
  };

  /** The server, read now, if it may be adopted or deleted as unowned; else a refusal saying why. */
  const inspect = async (serverId: number): Promise<{ server: Server; verdict: Verdict }> => {
    const server = await clouds.hetzner.servers.get(serverId);
    if (!isManaged(server)) {
      throw new OutpostError('forbidden', `Server ${server.name} (${serverId}) does not carry Outpost's ${LABEL.managed} label.`, {
        hint: 'Outpost never adopts or deletes servers it did not create. Nothing was changed.',
      });
    }
    if (server.status === 'deleting') throw new OutpostError('conflict', `Server ${server.name} is being deleted already.`);
    if ((await store.fleet.knownServerIds()).has(serverId)) {
      throw new OutpostError('conflict', `Server ${server.name} is already in this fleet.`, { hint: 'Find it in the fleet list; destroy it from there.' });
    }
    const job = server.labels[LABEL.job];
    if (job !== undefined && (await store.fleet.activeJobIds()).has(job)) {
      throw new OutpostError('conflict', `Server ${server.name} belongs to job ${job}, still running here.`, { hint: 'Cancel that job instead: it removes what it made.' });
    }
    const devices = await clouds.tailscale.devices.list({ tags: clouds.tags });
    const verdict = classify(server, devices.filter((d) => clouds.tags.every((t) => (d.tags ?? []).includes(t))), clouds.tags, deps.clock.now(), fleetSync.unownedAfterMs);
    if (verdict.kind === 'pending') {
      const after = new Date(Date.parse(server.created) + fleetSync.unownedAfterMs).toISOString();
      throw new OutpostError('conflict', `Server ${server.name} may still be being provisioned by another Outpost.`, {
        hint: `A provision job can run until ${after}; it is unowned only after that, and only if it never joined the tailnet. Nothing was changed.`,
      });
    }
    return { server, verdict };
  };

  /** Adopts the server inside the transaction `tx`; returns the new instance's id. */
  const adopt = async (tx: Store, server: Server, verdict: Verdict): Promise<string> => {
    // Checked again in the transaction: a sync may have adopted it meanwhile.
    if ((await tx.fleet.knownServerIds()).has(server.id)) throw new OutpostError('conflict', `Server ${server.name} is already in this fleet.`);
    return adoptServer(tx, server, verdict.kind === 'adopt' ? verdict.device : null, now());
  };

  return {
    'fleet:sync': async (): Promise<FleetSyncSummary> => summaryOf(await sync()),

    // The last sync's word (background or on demand); none yet: nothing known. Listing never calls the clouds.
    'unowned:list': async (): Promise<UnownedServer[]> => fleetSync.lastReport()?.unowned ?? [],

    'unowned:adopt': async (req: ParsedReq<'unowned:adopt'>): Promise<Instance> => {
      const { server, verdict } = await inspect(req.serverId);
      const instanceId = await store.transaction((tx) => adopt(tx, server, verdict));
      fleetSync.forgetUnowned(server.id);
      await pipeline.journal.publishInstance(instanceId);
      return (await store.instances.get(instanceId))!;
    },

    'unowned:delete': async (req: ParsedReq<'unowned:delete'>) => {
      const { server, verdict } = await inspect(req.serverId);
      if (req.confirmName !== server.name) {
        throw new OutpostError('invalid_input', `The name typed does not match ${server.name}.`, { hint: `Type ${server.name} exactly to confirm. Nothing was changed.` });
      }
      if (verdict.kind === 'adopt') {
        throw new OutpostError('conflict', `Server ${server.name} is enrolled in the tailnet: it is a VM of the fleet, not unowned.`, {
          hint: 'Run a fleet sync (it adopts it), then destroy it from the fleet. Nothing was changed.',
        });
      }
      const { instanceId, jobId } = await store.transaction(async (tx) => {
        const id = await adopt(tx, server, verdict);
        return { instanceId: id, jobId: await insertDestroy(tx, id, now()) };
      });
      fleetSync.forgetUnowned(server.id);
      await runner.launch(jobId);
      return { jobId, instanceId };
    },
  };
}
