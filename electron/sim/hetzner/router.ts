import { type Reply, type Request, type Route, findRoute } from '../http';
import type { HttpFaultRule } from '../faults';
import type { World } from '../world';
import { getAction, listActions } from './actions';
import { getDatacenter, getImage, getLocation, getServerType, listDatacenters, listImages, listLocations, listServerTypes } from './catalog-routes';
import type { HetznerContext } from './context';
import { HetznerError, errorReply } from './errors';
import type { TokenBucket } from './ratelimit';
import { createServer, deleteServer, getServer, listServerActions, listServers } from './servers';
import { createSshKey, deleteSshKey, getSshKey, listSshKeys } from './sshkeys';

export const HETZNER_PREFIX = '/hetzner/v1';

const ROUTES: Route<HetznerContext>[] = [
  { method: 'GET', pattern: '/servers', handle: listServers },
  { method: 'POST', pattern: '/servers', handle: createServer },
  { method: 'GET', pattern: '/servers/:id', handle: getServer },
  { method: 'DELETE', pattern: '/servers/:id', handle: deleteServer },
  { method: 'GET', pattern: '/servers/:id/actions', handle: listServerActions },
  { method: 'GET', pattern: '/actions', handle: listActions },
  { method: 'GET', pattern: '/actions/:id', handle: getAction },
  { method: 'GET', pattern: '/locations', handle: listLocations },
  { method: 'GET', pattern: '/locations/:id', handle: getLocation },
  { method: 'GET', pattern: '/datacenters', handle: listDatacenters },
  { method: 'GET', pattern: '/datacenters/:id', handle: getDatacenter },
  { method: 'GET', pattern: '/server_types', handle: listServerTypes },
  { method: 'GET', pattern: '/server_types/:id', handle: getServerType },
  { method: 'GET', pattern: '/images', handle: listImages },
  { method: 'GET', pattern: '/images/:id', handle: getImage },
  { method: 'GET', pattern: '/ssh_keys', handle: listSshKeys },
  { method: 'POST', pattern: '/ssh_keys', handle: createSshKey },
  { method: 'GET', pattern: '/ssh_keys/:id', handle: getSshKey },
  { method: 'DELETE', pattern: '/ssh_keys/:id', handle: deleteSshKey },
];

const DEFAULT_CODES: Record<number, [string, string]> = {
  400: ['json_error', 'invalid JSON'],
  401: ['unauthorized', 'unable to authenticate'],
  403: ['forbidden', 'insufficient permissions'],
  404: ['not_found', 'not found'],
  405: ['method_not_allowed', 'method not allowed'],
  409: ['conflict', 'the resource has changed during the request, please retry'],
  410: ['deprecated_api_endpoint', 'this endpoint has been removed'],
  412: ['resource_unavailable', 'error during placement'],
  422: ['invalid_input', 'invalid input'],
  423: ['locked', 'cannot perform operation because server is locked'],
  429: ['rate_limit_exceeded', 'limit of 3600 requests per hour reached'],
  500: ['server_error', 'internal server error'],
  502: ['bad_gateway', 'bad gateway'],
  503: ['unavailable', 'service unavailable'],
  504: ['timeout', 'timeout'],
};

export function hetznerFaultReply(rule: HttpFaultRule & { status: number }): Reply {
  const [code, message] = DEFAULT_CODES[rule.status] ?? ['server_error', `injected ${rule.status}`];
  return errorReply(rule.status, rule.code ?? code, rule.message ?? message);
}

export interface HetznerDeps {
  world: World;
  bucket: TokenBucket;
  tokens: () => { readWrite: string; readOnly: string };
}

function bearer(req: Request): string | null {
  const header = req.headers.authorization;
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] as string) : null;
}

/** Everything after the rate limit and any injected fault: auth, routing, the handlers. */
export async function handleHetzner(req: Request, deps: HetznerDeps): Promise<Reply> {
  const path = req.path.slice(HETZNER_PREFIX.length) || '/';
  const token = bearer(req);
  const { readWrite, readOnly } = deps.tokens();
  if (token === null || (token !== readWrite && token !== readOnly)) return errorReply(401, 'unauthorized', 'unable to authenticate');
  const isRead = req.method === 'GET' || req.method === 'HEAD';
  if (token === readOnly && !isRead) return errorReply(401, 'token_readonly', 'the token is read-only and cannot be used for this request');

  const { route, params, pathMatched } = findRoute(ROUTES, req.method, path);
  if (!route) return pathMatched ? errorReply(405, 'method_not_allowed', 'method not allowed') : errorReply(404, 'not_found', 'not found');
  try {
    deps.world.advance();
    return await route.handle({ world: deps.world, req, readOnly: token === readOnly }, params);
  } catch (error) {
    if (error instanceof HetznerError) return errorReply(error.status, error.code, error.message, error.details);
    if ((error as { jsonError?: boolean }).jsonError) return errorReply(400, 'json_error', (error as Error).message);
    return errorReply(500, 'server_error', 'internal server error');
  }
}
