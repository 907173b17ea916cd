// Realistic values for the fuzz, mixed with what the schemas alone generate: without them a valid
// provision names a region that does not exist and every call stops at the first lookup. Ids are
// symbolic (`@job:7`) and resolved against the store at send time, so a destroy, a cancel or a retry
// can name a row that exists by then.
import fc from 'fast-check';
import type { Runtime } from '../../electron/boot/runtime';
import type { Hints } from './zod-arbitrary';

/** A well-formed OpenSSH ed25519 public key (random bytes; nobody holds the private half). */
function sshKey(seed: number): string {
  const type = Buffer.from('ssh-ed25519');
  const key = Buffer.alloc(32, seed % 256);
  const len = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  return `ssh-ed25519 ${Buffer.concat([len(type.length), type, len(key.length), key]).toString('base64')} fuzz-${seed}`;
}

const isoInstant = fc
  .tuple(fc.date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true }), fc.constantFrom('Z', '+02:00', '-05:30'))
  .map(([d, offset]) => d.toISOString().replace('Z', offset));

export async function fuzzHints(runtime: Runtime): Promise<Hints> {
  const catalog = runtime.store.catalog;
  const locations = (await catalog.list<{ name: string }>('location')).map((l) => l.name);
  const types = (await catalog.list<{ name: string }>('server_type')).map((t) => t.name);
  const images = (await catalog.list<{ name: string | null }>('image')).flatMap((i) => (i.name ? [i.name] : []));
  if (locations.length === 0 || types.length === 0 || images.length === 0) throw new Error('fuzzHints: the sandbox catalog is empty');
  const ref = (kind: string) => fc.nat({ max: 1_000 }).map((n) => `@${kind}:${n}`);
  return {
    region: fc.constantFrom(...locations),
    defaultRegion: fc.constantFrom(...locations),
    serverType: fc.constantFrom(...types, ''),
    plan: fc.constantFrom(...types),
    defaultServerType: fc.constantFrom(...types),
    image: fc.constantFrom(...images),
    jobId: ref('job'),
    instanceId: ref('instance'),
    confirmName: fc.constant('@confirm'),
    target: ref('instance'),
    sshKeys: fc.nat({ max: 255 }).map(sshKey),
    currency: fc.constantFrom('EUR', 'USD'),
    // ISO instants (audit:list's range): random strings almost never are one, and the generator's
    // filter would spin on them.
    from: isoInstant,
    to: isoInstant,
  };
}

/**
 * Replaces symbolic ids with real ones (the n-th row, modulo how many exist) and `@confirm` with the
 * chosen instance's name. With no rows yet, the symbol stays: a valid string naming nothing.
 */
export async function resolveRefs(runtime: Runtime, payload: unknown): Promise<unknown> {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return payload;
  const out: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
  const pick = async (kind: string, value: unknown): Promise<unknown> => {
    const match = typeof value === 'string' ? /^@(job|instance):(\d+)$/.exec(value) : null;
    if (!match || match[1] !== kind) return value;
    const ids =
      kind === 'job'
        ? (await runtime.store.jobs.list({ limit: 1000 })).map((j) => j.id)
        : (await runtime.store.instances.list({ includeDestroyed: true })).map((i) => i.id);
    return ids.length === 0 ? value : ids[Number(match[2]) % ids.length];
  };
  // A valid batch (quantity 2–50) is sent as 2: each call waits for every job it started before the
  // next, and 150 batches of up to 50 VMs would take the run past its budget. Invalid quantities
  // (0, 51, fractions, strings) go out as generated; batches of 20 are provisioned for real by
  // test/integration/pipeline/batch.test.ts.
  if (Number.isInteger(out.quantity) && (out.quantity as number) > 2 && (out.quantity as number) <= 50) out.quantity = 2;
  if ('jobId' in out) out.jobId = await pick('job', out.jobId);
  if ('instanceId' in out) out.instanceId = await pick('instance', out.instanceId);
  if ('target' in out) out.target = await pick('instance', out.target);
  if (out.confirmName === '@confirm' && typeof out.instanceId === 'string') {
    out.confirmName = (await runtime.store.instances.get(out.instanceId))?.name ?? out.confirmName;
  }
  return out;
}
