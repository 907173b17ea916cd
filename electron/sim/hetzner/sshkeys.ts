import { createHash } from 'node:crypto';
import { type Reply, json } from '../http';
import type { SshKeyRecord } from '../model';
import { type HetznerContext, parseJsonBody } from './context';
import { HetznerError, invalidInput, notFound } from './errors';
import { labelsProblems, matchesSelector } from './labels';
import { applySort, paginate, parseIdParam } from './paging';
import { renderSshKey } from './render';
import { parseSelectorParam } from './servers';

const KEY_TYPES = /^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)$/;

/** MD5 over the decoded key blob in colon-separated hex, the form Hetzner shows. */
export function sshFingerprint(publicKey: string): string | null {
  const [type, blob] = publicKey.trim().split(/\s+/);
  if (!type || !blob || !KEY_TYPES.test(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(blob)) return null;
  const bytes = Buffer.from(blob, 'base64');
  // The blob starts with the key type as an SSH string; a mismatch means it is not a real key.
  const len = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
  if (len < 1 || bytes.subarray(4, 4 + len).toString('latin1') !== type) return null;
  return createHash('md5').update(bytes).digest('hex').match(/../g)!.join(':');
}

export function listSshKeys(ctx: HetznerContext): Reply {
  const { query } = ctx.req;
  let keys = ctx.world.state.sshKeys;
  const name = query.get('name');
  if (name !== null) keys = keys.filter((k) => k.name === name);
  const fingerprint = query.get('fingerprint');
  if (fingerprint !== null) keys = keys.filter((k) => k.fingerprint === fingerprint);
  const selector = query.get('label_selector');
  if (selector !== null) {
    const terms = parseSelectorParam(selector);
    keys = keys.filter((k) => matchesSelector(k.labels, terms));
  }
  const sorted = applySort(keys, query, { id: (k) => k.id, name: (k) => k.name });
  const page = paginate(sorted, query, ctx.req.origin, ctx.req.path);
  return json(200, { ssh_keys: page.items.map(renderSshKey), meta: page.meta }, page.link ? { Link: page.link } : undefined);
}

function findKey(ctx: HetznerContext, raw: string | undefined): SshKeyRecord {
  const id = parseIdParam(raw, 'ssh_key');
  const key = ctx.world.state.sshKeys.find((k) => k.id === id);
  if (!key) throw notFound('ssh_key', id);
  return key;
}

export function getSshKey(ctx: HetznerContext, params: Record<string, string>): Reply {
  return json(200, { ssh_key: renderSshKey(findKey(ctx, params.id)) });
}

export function createSshKey(ctx: HetznerContext): Reply {
  const body = parseJsonBody(ctx);
  if (typeof body.name !== 'string' || body.name === '') throw invalidInput('name', ['Missing data for required field.']);
  if (typeof body.public_key !== 'string') throw invalidInput('public_key', ['Missing data for required field.']);
  const fingerprint = sshFingerprint(body.public_key);
  if (!fingerprint) throw invalidInput('public_key', ['invalid public key'], 'invalid public key');
  const problems = labelsProblems(body.labels);
  if (problems.length > 0) throw invalidInput('labels', problems);
  const { world } = ctx;
  if (world.state.sshKeys.some((k) => k.name === body.name)) {
    throw new HetznerError(409, 'uniqueness_error', 'SSH key with the same name already exists', { fields: [{ name: 'name' }] });
  }
  if (world.state.sshKeys.some((k) => k.fingerprint === fingerprint)) {
    throw new HetznerError(409, 'uniqueness_error', 'SSH key with the same fingerprint already exists', { fields: [{ name: 'public_key' }] });
  }
  const key: SshKeyRecord = {
    id: ++world.state.counters.sshKey,
    name: body.name,
    publicKey: body.public_key.trim(),
    fingerprint,
    labels: { ...((body.labels ?? {}) as Record<string, string>) },
    created: world.now(),
  };
  world.state.sshKeys.push(key);
  world.changed();
  return json(201, { ssh_key: renderSshKey(key) });
}

export function deleteSshKey(ctx: HetznerContext, params: Record<string, string>): Reply {
  const key = findKey(ctx, params.id);
  ctx.world.state.sshKeys = ctx.world.state.sshKeys.filter((k) => k !== key);
  ctx.world.changed();
  return { status: 204 };
}
