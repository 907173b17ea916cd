import { isoSeconds } from '../clock';
import { type Reply, json } from '../http';
import type { AuthKeyRecord } from '../model';
import type { World } from '../world';
import { type TailscaleContext, TailscaleError, parseJson, requireScope, requireTailnet } from './context';
import { goList, isValidTag, sameTags } from './names';
import { hashSecret, secretText } from './oauth';

export const DEFAULT_KEY_EXPIRY = 7_776_000;
const DESCRIPTION = /^[A-Za-z0-9 -]{0,50}$/;

/** A key is unusable once revoked, expired, or (single-use) used: the API shows `invalid: true`. */
export function keyInvalidReason(key: AuthKeyRecord, now: number): string | null {
  if (key.revokedAt !== null) return `auth key ${key.id} was revoked`;
  if (now >= key.expiresAt) return `auth key ${key.id} expired at ${isoSeconds(key.expiresAt)}`;
  if (!key.reusable && key.uses.length > 0) return `auth key ${key.id} was already used (single-use)`;
  return null;
}

export function renderKey(key: AuthKeyRecord, now: number, secret?: string) {
  return {
    id: key.id,
    ...(secret === undefined ? {} : { key: secret }),
    keyType: 'auth',
    expirySeconds: key.expirySeconds,
    created: isoSeconds(key.created),
    expires: isoSeconds(key.expiresAt),
    ...(key.revokedAt === null ? {} : { revoked: isoSeconds(key.revokedAt) }),
    capabilities: { devices: { create: { reusable: key.reusable, ephemeral: key.ephemeral, preauthorized: key.preauthorized, tags: key.tags } } },
    description: key.description,
    invalid: keyInvalidReason(key, now) !== null,
    userId: key.userId,
  };
}

const bool = (value: unknown, field: string): boolean => {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new TailscaleError(400, `${field} must be a boolean`);
  return value;
};

export function newKeyRecord(world: World, opts: { expirySeconds: number; description: string; reusable: boolean; ephemeral: boolean; preauthorized: boolean; tags: string[] }) {
  const now = world.now();
  const id = `k${world.rng.alnum(9)}CNTRL`;
  const secret = `tskey-auth-${id}-${secretText(32)}`;
  // Expiry runs on the scaled clock like every other duration, so short-lived keys stay meaningful.
  const record: AuthKeyRecord = {
    id,
    secretHash: hashSecret(secret),
    created: now,
    expirySeconds: opts.expirySeconds,
    expiresAt: now + world.clock.scaleMs(opts.expirySeconds),
    revokedAt: null,
    description: opts.description,
    reusable: opts.reusable,
    ephemeral: opts.ephemeral,
    preauthorized: opts.preauthorized,
    tags: opts.tags,
    userId: '',
    uses: [],
    rejections: [],
  };
  world.state.keys.push(record);
  return { record, secret };
}

export function createKey(ctx: TailscaleContext, params: Record<string, string>): Reply {
  requireTailnet(ctx, params.tailnet);
  const body = parseJson(ctx);
  const keyType = body.keyType ?? 'auth';
  if (keyType === 'client') requireScope(ctx, 'oauth_keys');
  if (keyType === 'federated') requireScope(ctx, 'federated_keys');
  if (keyType !== 'auth') throw new TailscaleError(400, `keyType ${JSON.stringify(keyType)} is not supported by the simulator`);
  requireScope(ctx, 'auth_keys');

  const capabilities = body.capabilities as { devices?: { create?: Record<string, unknown> } } | undefined;
  if (typeof capabilities !== 'object' || capabilities === null || typeof capabilities.devices !== 'object' || capabilities.devices === null) {
    throw new TailscaleError(400, 'capabilities.devices is required for auth keys');
  }
  const create = capabilities.devices.create ?? {};
  const tags = create.tags ?? [];
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string')) throw new TailscaleError(400, 'tags must be a list of strings');
  const tagList = tags as string[];
  // Keys minted with an OAuth token are owned by the tailnet: they must carry exactly the client's tags.
  if (tagList.some((t) => !isValidTag(t)) || !sameTags(tagList, ctx.token.tags) || tagList.length === 0) {
    throw new TailscaleError(400, `requested tags ${goList(tagList)} are invalid or not permitted`);
  }

  const expiry = body.expirySeconds ?? 0;
  if (typeof expiry !== 'number' || !Number.isInteger(expiry) || expiry < 0) throw new TailscaleError(400, 'expirySeconds must be a non-negative integer');
  if (expiry > DEFAULT_KEY_EXPIRY) throw new TailscaleError(400, `expirySeconds must be at most ${DEFAULT_KEY_EXPIRY} (90 days)`);
  const description = body.description ?? '';
  if (typeof description !== 'string' || !DESCRIPTION.test(description)) {
    throw new TailscaleError(400, 'description must be at most 50 characters of letters, digits, hyphens and spaces');
  }

  const { record, secret } = newKeyRecord(ctx.world, {
    expirySeconds: expiry === 0 ? DEFAULT_KEY_EXPIRY : expiry,
    description,
    reusable: bool(create.reusable, 'reusable'),
    ephemeral: bool(create.ephemeral, 'ephemeral'),
    preauthorized: bool(create.preauthorized, 'preauthorized'),
    tags: [...tagList],
  });
  ctx.world.changed();
  return json(200, renderKey(record, ctx.world.now(), secret));
}

function findKey(ctx: TailscaleContext, id: string | undefined): AuthKeyRecord {
  const key = ctx.world.state.keys.find((k) => k.id === id);
  if (!key) throw new TailscaleError(404, 'key not found');
  return key;
}

export function getKey(ctx: TailscaleContext, params: Record<string, string>): Reply {
  requireTailnet(ctx, params.tailnet);
  requireScope(ctx, 'auth_keys:read');
  return json(200, renderKey(findKey(ctx, params.keyId), ctx.world.now()));
}

export function listKeys(ctx: TailscaleContext, params: Record<string, string>): Reply {
  requireTailnet(ctx, params.tailnet);
  requireScope(ctx, 'auth_keys:read');
  const now = ctx.world.now();
  const active = ctx.world.state.keys.filter((k) => keyInvalidReason(k, now) === null);
  return json(200, { keys: active.map((k) => renderKey(k, now)) });
}

export function deleteKey(ctx: TailscaleContext, params: Record<string, string>): Reply {
  requireTailnet(ctx, params.tailnet);
  requireScope(ctx, 'auth_keys');
  const key = findKey(ctx, params.keyId);
  key.revokedAt ??= ctx.world.now();
  ctx.world.changed();
  return { status: 200 };
}
