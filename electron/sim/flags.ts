import type { HttpFaultSpec } from './faults';
import type { SimControl } from './control';

/**
 * Fault flags shared by `outpost sim` and `electron/sim/main.ts`. Each is repeatable and takes a
 * compact spec, so a sandbox can be started already misbehaving without any control call.
 */
export const simFlagsHelp = [
  '--fault "METHOD PATH STATUS[:code] [count=N] [p=0.5] [latency=MS] [hang] [reset] [malformed] [after]"',
  '      e.g. --fault "POST /hetzner/v1/servers 503:unavailable count=2"   (PATH is a glob, * matches anything)',
  '--fail-action COMMAND[:count]      make actions of COMMAND end in error, e.g. --fail-action start_server:1',
  '--no-enroll [HOSTNAME]             enrollment never happens (for HOSTNAME, or "*" for every server)',
  '--unavailable TYPE@LOCATION        resource_unavailable for a server type in a location, e.g. cx22@fsn1',
  '--rate-limit CAPACITY[:REFILL]     Hetzner token bucket size and refill per second (default 3600:1)',
].join('\n');

export interface SimFlags {
  fault?: string[];
  failAction?: string[];
  noEnroll?: string[];
  unavailable?: string[];
  rateLimit?: string;
}

export function parseFaultFlag(text: string): HttpFaultSpec {
  const [method, path, ...rest] = text.trim().split(/\s+/);
  if (!method || !path) throw new Error(`--fault needs "METHOD PATH …", got ${JSON.stringify(text)}`);
  const spec: HttpFaultSpec = { method, path };
  for (const token of rest) {
    const [key, value = ''] = token.split('=');
    if (/^\d{3}(:\w+)?$/.test(token)) {
      const [status, code] = token.split(':');
      spec.status = Number(status);
      if (code) spec.code = code;
    } else if (key === 'count') spec.count = Number(value);
    else if (key === 'p') spec.probability = Number(value);
    else if (key === 'latency') spec.latencyMs = Number(value);
    else if (token === 'hang') spec.hang = true;
    else if (token === 'reset') spec.reset = true;
    else if (token === 'malformed') spec.malformed = true;
    else if (token === 'after') spec.phase = 'after';
    else throw new Error(`--fault: unknown part ${JSON.stringify(token)}`);
  }
  return spec;
}

export function parseRateLimit(text: string): { capacity: number; refillPerSecond: number } {
  const [capacity, refill = '1'] = text.split(':');
  const out = { capacity: Number(capacity), refillPerSecond: Number(refill) };
  if (!(out.capacity >= 1) || !(out.refillPerSecond >= 0)) throw new Error(`--rate-limit needs CAPACITY[:REFILL], got ${JSON.stringify(text)}`);
  return out;
}

/** Applies the fault flags to a running simulator through its control endpoints. */
export async function applySimFlags(control: SimControl, flags: SimFlags): Promise<void> {
  for (const f of flags.fault ?? []) await control.addFault(parseFaultFlag(f));
  for (const f of flags.failAction ?? []) {
    const [command = '', count] = f.split(':');
    await control.failActions(count === undefined ? { command } : { command, count: Number(count) });
  }
  for (const h of flags.noEnroll ?? []) await control.blockEnrollment(h === '' || h === '*' ? {} : { hostname: h });
  for (const u of flags.unavailable ?? []) {
    const [serverType = '', location = ''] = u.split('@');
    await control.makeUnavailable({ serverType, location });
  }
  if (flags.rateLimit) await control.setRateLimit(parseRateLimit(flags.rateLimit));
}
