import { HetznerError, invalidInput } from './errors';

export interface Page<T> {
  items: T[];
  meta: { pagination: { page: number; per_page: number; previous_page: number | null; next_page: number | null; last_page: number; total_entries: number } };
  link: string | null;
}

function positiveInt(query: URLSearchParams, name: string, fallback: number): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw invalidInput(name, [`${name} must be a positive integer`]);
  return n;
}

/** `page` from 1, `per_page` default 25 and capped at 50, with `meta.pagination` and a `Link` header. */
export function paginate<T>(all: readonly T[], query: URLSearchParams, origin: string, path: string): Page<T> {
  const page = positiveInt(query, 'page', 1);
  const perPage = Math.min(positiveInt(query, 'per_page', 25), 50);
  const total = all.length;
  const lastPage = Math.max(1, Math.ceil(total / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  const pageUrl = (n: number) => {
    const q = new URLSearchParams(query);
    q.set('page', String(n));
    q.set('per_page', String(perPage));
    return `<${origin}${path}?${q.toString()}>`;
  };
  const links: string[] = [];
  if (page > 1) links.push(`${pageUrl(Math.min(page - 1, lastPage))}; rel="prev"`);
  if (page < lastPage) links.push(`${pageUrl(page + 1)}; rel="next"`);
  links.push(`${pageUrl(lastPage)}; rel="last"`);
  return {
    items,
    meta: {
      pagination: {
        page,
        per_page: perPage,
        previous_page: page > 1 ? Math.min(page - 1, lastPage) : null,
        next_page: page < lastPage ? page + 1 : null,
        last_page: lastPage,
        total_entries: total,
      },
    },
    link: links.join(', '),
  };
}

/** `sort=field[:asc|:desc]`, repeatable; unknown fields are `invalid_input` like upstream. */
export function applySort<T>(items: T[], query: URLSearchParams, keys: Record<string, (item: T) => string | number | null>): T[] {
  const sorts = query.getAll('sort').filter((s) => s !== '');
  const comparators = sorts.map((spec) => {
    const [field = '', dir = 'asc', extra] = spec.split(':');
    const key = keys[field];
    if (!key || (dir !== 'asc' && dir !== 'desc') || extra !== undefined) {
      throw invalidInput('sort', [`sort must be one of ${Object.keys(keys).flatMap((k) => [k, `${k}:asc`, `${k}:desc`]).join(', ')}`]);
    }
    const sign = dir === 'desc' ? -1 : 1;
    return (a: T, b: T) => {
      const x = key(a);
      const y = key(b);
      if (x === y) return 0;
      if (x === null) return 1;
      if (y === null) return -1;
      return (x < y ? -1 : 1) * sign;
    };
  });
  return [...items].sort((a, b) => {
    for (const compare of comparators) {
      const r = compare(a, b);
      if (r !== 0) return r;
    }
    return 0;
  });
}

export function parseIdParam(raw: string | undefined, kind: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1) throw new HetznerError(400, 'invalid_input', `invalid ${kind} ID '${raw ?? ''}'`, null);
  return id;
}
