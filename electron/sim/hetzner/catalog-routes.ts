import { type Reply, json } from '../http';
import { DATACENTERS, IMAGES, LOCATIONS, SERVER_TYPES, renderDatacenter, renderImage, renderLocation, renderServerType } from './catalog';
import type { HetznerContext } from './context';
import { invalidInput, notFound } from './errors';
import { matchesSelector } from './labels';
import { applySort, paginate, parseIdParam } from './paging';
import { parseSelectorParam } from './servers';

function listReply<T>(ctx: HetznerContext, key: string, items: T[], render: (item: T) => unknown): Reply {
  const page = paginate(items, ctx.req.query, ctx.req.origin, ctx.req.path);
  return json(200, { [key]: page.items.map(render), meta: page.meta }, page.link ? { Link: page.link } : undefined);
}

function byName<T extends { name: string | null }>(ctx: HetznerContext, items: readonly T[]): T[] {
  const name = ctx.req.query.get('name');
  return name === null ? [...items] : items.filter((i) => i.name === name);
}

export function listLocations(ctx: HetznerContext): Reply {
  const sorted = applySort(byName(ctx, LOCATIONS), ctx.req.query, { id: (l) => l.id, name: (l) => l.name });
  return listReply(ctx, 'locations', sorted, renderLocation);
}

export function getLocation(ctx: HetznerContext, params: Record<string, string>): Reply {
  const id = parseIdParam(params.id, 'location');
  const location = LOCATIONS.find((l) => l.id === id);
  if (!location) throw notFound('location', id);
  return json(200, { location: renderLocation(location) });
}

export function listDatacenters(ctx: HetznerContext): Reply {
  const sorted = applySort(byName(ctx, DATACENTERS), ctx.req.query, { id: (d) => d.id, name: (d) => d.name });
  const page = paginate(sorted, ctx.req.query, ctx.req.origin, ctx.req.path);
  const shortages = ctx.world.faults.shortages;
  return json(
    200,
    { datacenters: page.items.map((d) => renderDatacenter(d, shortages)), recommendation: DATACENTERS[0]!.id, meta: page.meta },
    page.link ? { Link: page.link } : undefined,
  );
}

export function getDatacenter(ctx: HetznerContext, params: Record<string, string>): Reply {
  const id = parseIdParam(params.id, 'datacenter');
  const dc = DATACENTERS.find((d) => d.id === id);
  if (!dc) throw notFound('datacenter', id);
  return json(200, { datacenter: renderDatacenter(dc, ctx.world.faults.shortages) });
}

export function listServerTypes(ctx: HetznerContext): Reply {
  const shortages = ctx.world.faults.shortages;
  return listReply(ctx, 'server_types', byName(ctx, SERVER_TYPES), (t) => renderServerType(t, shortages));
}

export function getServerType(ctx: HetznerContext, params: Record<string, string>): Reply {
  const id = parseIdParam(params.id, 'server_type');
  const type = SERVER_TYPES.find((t) => t.id === id);
  if (!type) throw notFound('server_type', id);
  return json(200, { server_type: renderServerType(type, ctx.world.faults.shortages) });
}

const IMAGE_TYPES = ['system', 'app', 'snapshot', 'backup'];
const ARCHITECTURES = ['x86', 'arm'];

export function listImages(ctx: HetznerContext): Reply {
  const { query } = ctx.req;
  let images = byName(ctx, IMAGES);
  const types = query.getAll('type');
  for (const t of types) if (!IMAGE_TYPES.includes(t)) throw invalidInput('type', [`invalid image type '${t}'`]);
  if (types.length > 0) images = images.filter(() => types.includes('system'));
  const statuses = query.getAll('status');
  if (statuses.length > 0) images = images.filter(() => statuses.includes('available'));
  const architectures = query.getAll('architecture');
  for (const a of architectures) if (!ARCHITECTURES.includes(a)) throw invalidInput('architecture', [`invalid architecture '${a}'`]);
  if (architectures.length > 0) images = images.filter((i) => architectures.includes(i.architecture));
  if (query.get('bound_to') !== null) images = [];
  const selector = query.get('label_selector');
  if (selector !== null) {
    const terms = parseSelectorParam(selector);
    images = images.filter(() => matchesSelector({}, terms));
  }
  const sorted = applySort(images, query, { id: (i) => i.id, name: (i) => i.name, created: (i) => i.created });
  return listReply(ctx, 'images', sorted, renderImage);
}

export function getImage(ctx: HetznerContext, params: Record<string, string>): Reply {
  const id = parseIdParam(params.id, 'image');
  const image = IMAGES.find((i) => i.id === id);
  if (!image) throw notFound('image', id);
  return json(200, { image: renderImage(image) });
}
