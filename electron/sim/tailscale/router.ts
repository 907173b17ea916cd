import type { HttpFaultRule } from '../faults';
import { type Reply, type Request, type Route, findRoute, json } from '../http';
import type { World } from '../world';
import { type TailscaleContext, TailscaleError } from './context';
import { authorizeDevice, deleteDevice, getDevice, listDevices } from './devices';
import { createKey, deleteKey, getKey, listKeys } from './keys';
import { authenticate, issueToken } from './oauth';

export const TAILSCALE_PREFIX = '/tailscale/api/v2';

const ROUTES: Route<TailscaleContext>[] = [
  { method: 'GET', pattern: '/tailnet/:tailnet/devices', handle: listDevices },
  { method: 'GET', pattern: '/device/:deviceId', handle: getDevice },
  { method: 'DELETE', pattern: '/device/:deviceId', handle: deleteDevice },
  { method: 'POST', pattern: '/device/:deviceId/authorized', handle: authorizeDevice },
  { method: 'GET', pattern: '/tailnet/:tailnet/keys', handle: listKeys },
  { method: 'POST', pattern: '/tailnet/:tailnet/keys', handle: createKey },
  { method: 'GET', pattern: '/tailnet/:tailnet/keys/:keyId', handle: getKey },
  { method: 'DELETE', pattern: '/tailnet/:tailnet/keys/:keyId', handle: deleteKey },
];

const messageReply = (status: number, message: string): Reply => ({ status, body: { message }, code: message });

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'bad request',
  401: 'API token invalid',
  403: 'forbidden',
  404: 'not found',
  409: 'conflict',
  429: 'too many requests',
  500: 'internal server error',
  501: 'not implemented',
  502: 'bad gateway',
  504: 'request took too long to process, please try again later',
};

export function tailscaleFaultReply(rule: HttpFaultRule & { status: number }): Reply {
  return messageReply(rule.status, rule.message ?? DEFAULT_MESSAGES[rule.status] ?? `injected ${rule.status}`);
}

export async function handleTailscale(req: Request, world: World): Promise<Reply> {
  const path = req.path.slice(TAILSCALE_PREFIX.length) || '/';
  try {
    world.advance();
    if (path === '/oauth/token') return issueToken(world, req);
    const { route, params, pathMatched } = findRoute(ROUTES, req.method, path);
    if (!route) return pathMatched ? messageReply(405, 'method not allowed') : messageReply(404, 'not found');
    const token = authenticate(world, req);
    return await route.handle({ world, req, token }, params);
  } catch (error) {
    if (error instanceof TailscaleError) return messageReply(error.status, error.message);
    return json(500, { message: 'internal server error' });
  }
}
