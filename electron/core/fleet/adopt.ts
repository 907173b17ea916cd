// Taking another Outpost's server into this store: an agent row and an instance with origin
// "adopted", filled from the server (id, IPs, region, type, image) and its labels (agent, customer
// when allowed, payment reference, creating store and job), and its tailnet state when enrolled.
// No job rows: the job history stays on the desktop that ran it.
import type { Database } from '../db/driver';
import { AgentsRepo } from '../db/repos/agents';
import { CatalogRepo } from '../db/repos/catalog';
import { InstancesRepo, type InstancePatch } from '../db/repos/instances';
import type { Server, ServerType } from '../hetzner/types';
import { newId } from '../ids';
import { tailnetIpv4 } from '../tailscale/devices';
import type { Device } from '../tailscale/types';
import { readLedger } from './labels';

/** Inserts the adopted instance (call inside a transaction with the sync's other writes). Returns its id. */
export function adoptServer(db: Database, server: Server, device: Device | null, at: string): string {
  const agents = new AgentsRepo(db);
  const instances = new InstancesRepo(db);
  const ledger = readLedger(server.labels);
  const agentId = newId('agt');
  const instanceId = newId('ins');
  const serverType = server.server_type?.name ?? ledger.plan ?? 'unknown';
  const region = server.location?.name ?? 'unknown';
  agents.insert({ id: agentId, name: ledger.agentName ?? server.name, customer: ledger.customer, at });
  agents.setStatus(agentId, 'active', at);
  instances.insertAdopted({
    id: instanceId,
    // Hetzner names are unique per project, but a failed local row may still hold a reused name.
    name: instances.liveByName(server.name) ? `${server.name}-${server.id}` : server.name,
    agentId,
    region,
    serverType,
    image: server.image?.name ?? 'unknown',
    hostname: server.name,
    monthlyPriceGross: monthlyPrice(db, serverType, region),
    serverId: server.id,
    publicIpv4: server.public_net.ipv4?.ip ?? null,
    publicIpv6: server.public_net.ipv6?.ip ?? null,
    originStore: ledger.storeId,
    originJob: ledger.jobId,
    paymentRef: ledger.paymentReference,
    createdAt: server.created,
    at,
  });
  if (device) instances.update(instanceId, devicePatch(device, at), at);
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

function monthlyPrice(db: Database, serverType: string, region: string): string | null {
  const type = new CatalogRepo(db).list<ServerType>('server_type').find((t) => t.name === serverType);
  return type?.prices.find((p) => p.location === region)?.price_monthly.gross ?? null;
}
