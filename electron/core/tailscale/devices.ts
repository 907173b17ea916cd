// Devices: list (server-side filters + `fields`), get, delete (404 = already gone).
import { TailscaleError } from './errors';
import type { TailscaleHttp, TsQuery } from './http';
import type { Device } from './types';

export interface ListDevicesOptions {
  /** The device must carry every tag (repeated `tags=` filters are ANDed server-side). */
  tags?: string[];
  hostname?: string;
  isEphemeral?: boolean;
  /** Any other top-level field filter, exact match. */
  filters?: Record<string, string | number | boolean>;
  fields?: 'default' | 'all';
  signal?: AbortSignal | undefined;
}

/**
 * The device's tailnet IPv4 address (Tailscale gives each node one 100.x address and one fd7a:
 * IPv6 address); null when it has none. The pipeline and fleet sync both record it through this.
 */
export const tailnetIpv4 = (device: Device): string | null => device.addresses.find((a) => /^\d+\.\d+\.\d+\.\d+$/.test(a)) ?? null;

export class DevicesApi {
  constructor(
    private readonly http: TailscaleHttp,
    private readonly tailnet = '-',
  ) {}

  /** Filters are recent (2026) and the API may ignore unknown ones: callers filter client-side too. */
  async list(options: ListDevicesOptions = {}): Promise<Device[]> {
    const query: TsQuery = { fields: options.fields };
    for (const [k, v] of Object.entries(options.filters ?? {})) query[k] = String(v);
    if (options.tags?.length) query.tags = options.tags;
    if (options.hostname !== undefined) query.hostname = options.hostname;
    if (options.isEphemeral !== undefined) query.isEphemeral = String(options.isEphemeral);
    const { body } = await this.http.request<{ devices?: Device[] }>('GET', `/tailnet/${this.tailnet}/devices`, { query, signal: options.signal });
    return Array.isArray(body?.devices) ? body.devices : [];
  }

  /** null when the device does not exist (404). */
  async get(deviceId: string, options: { fields?: 'default' | 'all'; signal?: AbortSignal } = {}): Promise<Device | null> {
    try {
      const { body } = await this.http.request<Device>('GET', `/device/${encodeURIComponent(deviceId)}`, {
        query: { fields: options.fields },
        signal: options.signal,
      });
      return body;
    } catch (err) {
      if (err instanceof TailscaleError && err.status === 404) return null;
      throw err;
    }
  }

  /** true when deleted now, false when it was already gone (404). */
  async delete(deviceId: string, options: { signal?: AbortSignal } = {}): Promise<boolean> {
    try {
      await this.http.request('DELETE', `/device/${encodeURIComponent(deviceId)}`, options);
      return true;
    } catch (err) {
      if (err instanceof TailscaleError && err.status === 404) return false;
      throw err;
    }
  }
}
