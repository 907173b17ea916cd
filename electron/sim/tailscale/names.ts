import type { DeviceRecord } from '../model';

const TAG = /^tag:[A-Za-z][A-Za-z0-9-]*$/;
export const isValidTag = (tag: string) => TAG.test(tag);

/** Same members regardless of order and duplicates: how OAuth tag rules compare tag lists. */
export function sameTags(a: readonly string[], b: readonly string[]): boolean {
  const x = new Set(a);
  const y = new Set(b);
  return x.size === y.size && [...x].every((t) => y.has(t));
}

/** Go-style list formatting, as the real error message prints it: `[tag:a tag:b]`. */
export const goList = (tags: readonly string[]) => `[${tags.join(' ')}]`;

/**
 * The machine name (first label of the MagicDNS name) derived from the reported hostname:
 * lowercase, common local suffixes trimmed, separators turned into `-`, anything else dropped.
 */
export function machineName(hostname: string): string {
  let name = hostname.trim().toLowerCase().replace(/\.(local|localdomain|lan|home|internal)$/, '');
  name = name.replace(/[\s._@]/g, '-').replace(/[^a-z0-9-]/g, '');
  name = name.replace(/-+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return name === '' ? 'localhost' : name;
}

/**
 * A name no current device holds. Offline ephemeral devices that are not yet reaped still hold
 * theirs, so a re-created VM becomes `<name>-1`, then `-2`, like on the real coordination server.
 */
export function uniqueName(base: string, devices: readonly DeviceRecord[], tailnetDns: string): string {
  const taken = new Set(devices.map((d) => d.name.split('.')[0]));
  if (!taken.has(base)) return `${base}.${tailnetDns}`;
  for (let n = 1; ; n++) {
    const candidate = `${base.slice(0, 63 - String(n).length - 1)}-${n}`;
    if (!taken.has(candidate)) return `${candidate}.${tailnetDns}`;
  }
}
