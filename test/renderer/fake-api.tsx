// A fake OutpostApi for component tests: canned answers per channel, recorded calls, and events
// the test can emit.
import type { ReactNode } from 'react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { Channel, EventName, EventPayload, OutpostApi, Req, Res } from '../../shared/contract';
import { DEFAULT_SETTINGS, type AppInfo, type Instance, type Region } from '../../shared/domain';
import { setApi } from '../../renderer/src/api';
import { referencePage } from '../fixtures/fleet-reference';

type Handler<C extends Channel> = (req: Req<C>) => Res<C> | Promise<Res<C>>;

export class FakeApi implements OutpostApi {
  calls: { channel: Channel; request: unknown }[] = [];
  private handlers = new Map<Channel, (req: unknown) => unknown>();
  private listeners = new Map<EventName, Set<(p: unknown) => void>>();

  handle<C extends Channel>(channel: C, handler: Handler<C>): this {
    this.handlers.set(channel, handler as (req: unknown) => unknown);
    return this;
  }

  async call<C extends Channel>(channel: C, request: Req<C>): Promise<Res<C>> {
    this.calls.push({ channel, request });
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`FakeApi: no handler for ${channel}`);
    return (await handler(request)) as Res<C>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    const set = this.listeners.get(event) ?? new Set();
    this.listeners.set(event, set);
    set.add(listener as (p: unknown) => void);
    return () => set.delete(listener as (p: unknown) => void);
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const l of this.listeners.get(event) ?? []) l(payload);
  }

  /** The fleet as the instances:list handler has it (instances:page answers from it), not recorded as a call. */
  async fleet(): Promise<Instance[]> {
    const handler = this.handlers.get('instances:list');
    return handler ? ((await handler({ includeDestroyed: true })) as Instance[]) : [];
  }

  callsTo(channel: Channel): unknown[] {
    return this.calls.filter((c) => c.channel === channel).map((c) => c.request);
  }
}

export const appInfo = (role: AppInfo['role'] = 'operator'): AppInfo => ({ name: 'Outpost', version: '0.1.0', mode: 'sandbox', role, dataDir: '/tmp/x', transport: 'http', notices: [], liveUnavailable: null, simTimeScale: null, runtime: { electron: null, chromium: null, node: '20.20.2', os: 'Linux 6.1.0 x64' }, canOpenDataDir: false, canRestart: false });

export const region = (name: string, city: string, zone: string, available = true): Region => ({
  name,
  description: city,
  city,
  country: 'DE',
  networkZone: zone,
  instanceCount: 0,
  availableServerTypes: available ? ['cx22'] : [],
  offer: { serverType: 'cx22', available, reason: available ? null : `cx22 is out of stock in ${name} right now.`, monthlyGross: '4.51', hourlyGross: '0.007' },
});

export const instance = (over: Partial<Instance> = {}): Instance => ({
  id: 'ins_1',
  name: 'vm-one',
  agentId: 'agt_1',
  agentName: 'runner',
  customer: 'ACME',
  region: 'fsn1',
  serverType: 'cx22',
  image: 'ubuntu-24.04',
  status: 'running',
  serverId: 42,
  publicIpv4: '203.0.113.1',
  publicIpv6: null,
  tailnetIp: '100.64.0.1',
  nodeId: 'n1',
  hostname: 'vm-one',
  enrollment: 'online',
  lastSeen: null,
  drift: false,
  monthlyPriceGross: '4.51',
  jobId: null,
  origin: 'local',
  originStore: 'a1b2c3d4e5f60718',
  adoptedAt: null,
  paymentReference: null,
  createdAt: new Date().toISOString(),
  updatedAt: new Date().toISOString(),
  ...over,
});

const token = (state: 'valid' | 'read_only', write?: boolean) => ({ state, checkedAt: null, message: null, capabilities: write === undefined ? {} : { write } });

/** A fake with every read channel answering something sensible. instances:page answers from instances:list's fleet, as the store would (fleet-reference.ts). */
export function baseApi(role: AppInfo['role'] = 'operator'): FakeApi {
  const api = new FakeApi();
  return api
    .handle('instances:page', async (req) => referencePage(await api.fleet(), req))
    .handle('app:info', () => appInfo(role))
    .handle('settings:get', () => ({ ...DEFAULT_SETTINGS, role }))
    .handle('catalog:get', () => ({
      serverTypes: [
        { name: 'cx22', description: 'CX22', cores: 2, memoryGb: 4, diskGb: 40, architecture: 'x86', cpuType: 'shared', prices: [{ location: 'fsn1', monthlyGross: '4.51', hourlyGross: '0.007' }], locations: [{ name: 'fsn1', available: true }] },
      ],
      images: [{ name: 'ubuntu-24.04', description: 'Ubuntu 24.04', architecture: 'x86', osFlavor: 'ubuntu' }],
      refreshedAt: null,
    }))
    .handle('regions:list', () => [region('fsn1', 'Falkenstein', 'eu-central', false), region('nbg1', 'Nuremberg', 'eu-central'), region('hel1', 'Helsinki', 'eu-central')])
    .handle('instances:list', () => [instance()])
    .handle('tokens:status', () => ({ hetzner: token('valid', true), tailscale: token('valid'), vault: { format: 'v1:gcm', locked: false, notices: [] } }))
    .handle('jobs:list', () => [])
    .handle('payments:list', () => [])
    .handle('unowned:list', () => []);
}

export function withApi(api: FakeApi): (props: { children: ReactNode }) => ReactNode {
  setApi(api);
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return ({ children }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
