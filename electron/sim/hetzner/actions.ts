import { type Reply, json } from '../http';
import type { HetznerContext } from './context';
import { invalidInput, notFound } from './errors';
import { applySort, parseIdParam } from './paging';
import { renderAction } from './render';

export function getAction(ctx: HetznerContext, params: Record<string, string>): Reply {
  const id = parseIdParam(params.id, 'action');
  const action = ctx.world.state.actions.find((a) => a.id === id);
  if (!action) throw notFound('action', id);
  return json(200, { action: renderAction(action, ctx.world.now()) });
}

/**
 * `GET /actions?id=…&id=…`: `id` is required since listing every action was removed (2025-01-30).
 * Unknown ids are simply missing from the answer, and there is no `meta`, as in the spec.
 */
export function listActions(ctx: HetznerContext): Reply {
  const { query } = ctx.req;
  const rawIds = query.getAll('id');
  if (rawIds.length === 0) throw invalidInput('id', ['Missing data for required field.']);
  const ids = new Set<number>();
  for (const raw of rawIds) {
    const id = Number(raw);
    if (!Number.isSafeInteger(id) || id < 1) throw invalidInput('id', [`invalid action ID '${raw}'`]);
    ids.add(id);
  }
  const statuses = query.getAll('status');
  let actions = ctx.world.state.actions.filter((a) => ids.has(a.id));
  if (statuses.length > 0) actions = actions.filter((a) => statuses.includes(a.status));
  const sorted = applySort(actions, query, {
    id: (a) => a.id,
    command: (a) => a.command,
    status: (a) => a.status,
    started: (a) => a.started,
    finished: (a) => a.finished,
  });
  const now = ctx.world.now();
  return json(200, { actions: sorted.map((a) => renderAction(a, now)) });
}
