// Pure updates of cached query data from events. Kept apart from the hook so they are testable.
import type { EventPayload, Res } from '../../../shared/contract';
import type { Instance, Job, JobDetail } from '../../../shared/domain';

type Page = Res<'instances:page'>;

/** Replaces the rows of a cached window that changed; the same object when none of them is in it. */
export function patchPage(page: Page | undefined, changed: ReadonlyMap<string, Instance>): Page | undefined {
  if (!page || !page.rows.some((i) => changed.has(i.id))) return page;
  return { ...page, rows: page.rows.map((i) => changed.get(i.id) ?? i) };
}

/** What decides whether a row is in a window, where, and the page's counts. */
const PLACED: readonly (keyof Instance)[] = ['status', 'drift', 'region', 'enrollment', 'name', 'agentName', 'customer', 'serverType', 'publicIpv4', 'publicIpv6', 'tailnetIp', 'serverId', 'monthlyPriceGross', 'createdAt'];

/**
 * Must the windows be read again after this change? Not when the row was already held and nothing
 * that filters, sorts or counts it changed (a last-seen time, a job id): patching it in place is the whole update.
 */
export const movesInPages = (before: Instance | undefined, after: Instance): boolean => !before || PLACED.some((k) => before[k] !== after[k]);

export function upsertJob(list: Job[] | undefined, job: Job): { list: Job[] | undefined; found: boolean } {
  if (!list) return { list, found: false };
  const index = list.findIndex((j) => j.id === job.id);
  if (index === -1) return { list, found: false };
  const next = list.slice();
  next[index] = job;
  return { list: next, found: true };
}

/**
 * Applies a job:progress event to a cached jobs:get answer. Returns null when the event cannot be
 * applied (a gap in `seq`): the caller then re-reads the job, since SQLite is the truth.
 */
export function applyProgress(detail: JobDetail | undefined, payload: EventPayload<'job:progress'>): JobDetail | null | undefined {
  if (!detail) return detail;
  const { job, event } = payload;
  if (!event) return { ...detail, job };
  const last = detail.events.at(-1)?.seq ?? 0;
  if (event.seq <= last) return { ...detail, job };
  if (event.seq !== last + 1) return null;
  return { job, events: [...detail.events, event] };
}
