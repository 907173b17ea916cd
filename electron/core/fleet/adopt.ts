// Taking another Outpost's server into this store: an agent row and an instance with origin
// "adopted", filled from the server (id, IPs, region, type, image) and its labels (agent, customer
// when allowed, payment reference, creating store and job), and its tailnet state when enrolled.
// No job rows: the job history stays on the desktop that ran it.
import type { InstancePatch } from '../db/repos/instances';
import type { Store } from '../db/store';
import type { Server, ServerType } from '../hetzner/types';
import { newId } from '../ids';
import { tailnetIpv4 } from '../tailscale/devices';
import type { Device } from '../tailscale/types';
import { readLedger } from './labels';

/**
 * Inserts the adopted instance. Returns its id. Pass the transaction's store (`tx`): it runs inside a
 * transaction with the sync's other writes.
 */
export async function adoptServer(store: Store, server: Server, device: Device | null, at: string): Promise<string> {
  const { agents, instances } = store;
  const ledger = readLedger(server.labels);
  const agentId = newId('agt');
  const instanceId = newId('ins');
  const serverType = server.server_type?.name ?? ledger.plan ?? 'unknown';
  const region = server.location?.name ?? 'unknown';
  await agents.insert({ id: agentId, name: ledger.agentName ?? server.name, customer: ledger.customer, at });
  await agents.setStatus(agentId, 'active', at);
  await instances.insertAdopted({
    id: instanceId,
    // Hetzner names are unique per project, but a failed local row may still hold a reused name.
    name: (await instances.liveByName(server.name)) ? `${server.name}-${server.id}` : server.name,
    agentId,
    region,
    serverType,
    image: server.image?.name ?? 'unknown',
    hostname: server.name,
    monthlyPriceGross: await monthlyPrice(store, serverType, region),
    serverId: server.id,
    publicIpv4: server.public_net.ipv4?.ip ?? null,
    publicIpv6: server.public_net.ipv6?.ip ?? null,
    originStore: ledger.storeId,
    originJob: ledger.jobId,
    paymentRef: ledger.paymentReference,
    createdAt: server.created,
    at,
  });
  if (device) await instances.update(instanceId, devicePatch(device, at), at);
  return instanceId;
}

export function devicePatch(device: Device, at: string): InstancePatch {
  const online = device.connectedToControl === true;
  return {
    nodeId: device.nodeId,
    tailnetIp: tailnetIpv4(device),
    enrollment: online ? 'online' : 'offline',
    lastSeen: online ? at : (device.lastSeen ?? null),
  };
}

async function monthlyPrice(store: Store, serverType: string, region: string): Promise<string | null> {
  const type = (await store.catalog.list<ServerType>('server_type')).find((t) => t.name === serverType);
  return type?.prices.find((p) => p.location === region)?.price_monthly.gross ?? null;
}
