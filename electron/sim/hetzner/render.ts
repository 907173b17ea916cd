import { isoSeconds } from '../clock';
import type { ActionRecord, ServerRecord, SshKeyRecord } from '../model';
import {
  IMAGES,
  type Shortages,
  datacenterOf,
  findLocation,
  findServerType,
  includedTraffic,
  renderDatacenter,
  renderImage,
  renderLocation,
  renderServerType,
} from './catalog';
import { curveProgress } from './progress';

export function actionProgress(action: ActionRecord, now: number): number {
  if (action.status === 'success') return 100;
  if (action.progressAtEnd !== null) return action.progressAtEnd;
  if (action.progressCurve) return curveProgress(action.progressCurve, now);
  const span = action.finishAt - action.started;
  if (span <= 0) return 99;
  return Math.max(0, Math.min(99, Math.floor(((now - action.started) / span) * 100)));
}

export function renderAction(action: ActionRecord, now: number) {
  return {
    id: action.id,
    command: action.command,
    status: action.status,
    progress: actionProgress(action, now),
    started: isoSeconds(action.started),
    finished: action.finished === null ? null : isoSeconds(action.finished),
    resources: action.resources,
    error: action.error,
  };
}

export function reverseDns(ip: string): string {
  return `static.${ip.split('.').reverse().join('.')}.example.invalid`;
}

export function renderServer(server: ServerRecord, shortages: Shortages) {
  const type = findServerType(server.serverType);
  const location = findLocation(server.location);
  const dc = datacenterOf(server.location);
  const image = IMAGES.find((i) => i.id === server.imageId);
  if (!type || !location || !dc) throw new Error(`server ${server.id} refers to an unknown catalogue entry`);
  return {
    id: server.id,
    name: server.name,
    status: server.status,
    created: isoSeconds(server.created),
    public_net: {
      ipv4: server.ipv4 && { id: server.ipv4.id, ip: server.ipv4.ip, blocked: false, dns_ptr: reverseDns(server.ipv4.ip) },
      ipv6: server.ipv6 && { id: server.ipv6.id, ip: server.ipv6.network, blocked: false, dns_ptr: [] },
      floating_ips: [],
      firewalls: [],
    },
    private_net: [],
    server_type: renderServerType(type, shortages),
    location: renderLocation(location),
    datacenter: renderDatacenter(dc, shortages),
    image: image ? renderImage(image) : null,
    iso: null,
    rescue_enabled: false,
    locked: server.lockedBy !== null,
    backup_window: null,
    outgoing_traffic: 0,
    ingoing_traffic: 0,
    included_traffic: includedTraffic(type, server.location),
    protection: { delete: false, rebuild: false },
    labels: server.labels,
    volumes: [],
    load_balancers: [],
    primary_disk_size: type.disk,
    placement_group: null,
  };
}

export function renderSshKey(key: SshKeyRecord) {
  return { id: key.id, name: key.name, fingerprint: key.fingerprint, public_key: key.publicKey, labels: key.labels, created: isoSeconds(key.created) };
}
