// Version 9 of both schemas, "fleet pages": what instances:page needs to answer from indexes at
// 100,000 instances (repos/instance-page.ts).
// - Derived columns the repository writes with every row (repos/instance-keys.ts): the folded search
//   text (name, agent, customer, addresses, server id; accents and case removed), IPv4 sort keys
//   (octets zero-padded, so 10.0.0.9 sorts before 10.0.0.10; '~' for none, after every address) and
//   the monthly price as a number (1e18 for none). The UPDATEs below fill them for existing rows the
//   same way, and the agent's name (it never changes; the sort needs it without a join), except that SQL cannot drop accents: an accented name of an existing row is found with
//   its accents until the row is next written.
// - One index per sort, each ending in (created_at DESC, id DESC): ties are broken by age, then id, and
//   the index alone gives the window in order. The age index also carries the filter columns and the
//   search text, so the default view skips rows (OFFSET) and a search checks them without reading them. The old single-column status, region and
//   created indexes are the leading columns of the new ones.
// - Search: SQLite gets an FTS5 trigram index over the search text (external content: the text stays
//   in instances), kept by triggers; it finds a word of 3+ characters without reading every row.
//   VACUUM may renumber rowids: after one, INSERT INTO instances_search(instances_search) VALUES ('rebuild').
//   PostgreSQL gets a pg_trgm GIN index when the extension can be created (else search reads every row).
import type { Migration } from './migrations';

const SORT_INDEXES = `
  DROP INDEX instances_status;
  DROP INDEX instances_region;
  DROP INDEX instances_created;
  CREATE INDEX instances_by_age ON instances(created_at DESC, id DESC, status, region, enrollment, drift, search_text);
  CREATE INDEX instances_by_status ON instances(status, created_at DESC, id DESC);
  CREATE INDEX instances_by_region ON instances(region, created_at DESC, id DESC, status);
  CREATE INDEX instances_by_name ON instances(name, created_at DESC, id DESC);
  CREATE INDEX instances_by_type ON instances(server_type, created_at DESC, id DESC);
  CREATE INDEX instances_by_enrollment ON instances(enrollment, created_at DESC, id DESC, status);
  CREATE INDEX instances_by_ipv4 ON instances(ipv4_sort, created_at DESC, id DESC);
  CREATE INDEX instances_by_tailnet ON instances(tailnet_sort, created_at DESC, id DESC);
  CREATE INDEX instances_by_price ON instances(price_sort, created_at DESC, id DESC);
  CREATE INDEX instances_by_agent ON instances(agent_sort, created_at DESC, id DESC);
  CREATE INDEX instances_drifted ON instances(status) WHERE drift = 1;
`;

/** SQLite: the IPv4 sort key of column `c` (repos/instance-keys.ts ipSortKey, in SQL). */
function sqliteIpKey(c: string): string {
  const p1 = `instr(${c}, '.')`;
  const r1 = `substr(${c}, ${p1} + 1)`;
  const p2 = `instr(${r1}, '.')`;
  const r2 = `substr(${r1}, ${p2} + 1)`;
  const p3 = `instr(${r2}, '.')`;
  const octet = (text: string) => `CAST(${text} AS INTEGER)`;
  const padded = `printf('%03d.%03d.%03d.%03d', ${octet(`substr(${c}, 1, ${p1} - 1)`)}, ${octet(`substr(${r1}, 1, ${p2} - 1)`)}, ${octet(`substr(${r2}, 1, ${p3} - 1)`)}, ${octet(`substr(${r2}, ${p3} + 1)`)})`;
  const dotted = `(${c} NOT GLOB '*[^0-9.]*' AND length(${c}) - length(replace(${c}, '.', '')) = 3 AND ${c} NOT GLOB '*..*' AND ${c} NOT GLOB '.*' AND ${c} NOT GLOB '*.')`;
  return `CASE WHEN ${c} IS NULL OR ${c} = '' THEN '~' WHEN ${dotted} THEN ${padded} ELSE lower(${c}) END`;
}

/** PostgreSQL: the same key. */
function postgresIpKey(c: string): string {
  const octet = (n: number) => {
    const digits = `(split_part(${c}, '.', ${n})::numeric)::text`;
    return `repeat('0', greatest(0, 3 - length(${digits}))) || ${digits}`;
  };
  return `CASE WHEN ${c} IS NULL OR ${c} = '' THEN '~' WHEN ${c} ~ '^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$' THEN ${[1, 2, 3, 4].map(octet).join(` || '.' || `)} ELSE lower(${c}) END`;
}

const SQLITE_SEARCH_TEXT = `lower(name
  || coalesce(char(10) || nullif((SELECT a.name FROM agents a WHERE a.id = instances.agent_id), ''), '')
  || coalesce(char(10) || nullif((SELECT a.customer FROM agents a WHERE a.id = instances.agent_id), ''), '')
  || coalesce(char(10) || nullif(public_ipv4, ''), '')
  || coalesce(char(10) || nullif(public_ipv6, ''), '')
  || coalesce(char(10) || nullif(tailnet_ip, ''), '')
  || coalesce(char(10) || CAST(server_id AS TEXT), ''))`;

export const FLEET_PAGE_SQLITE: Migration = {
  version: 9,
  name: 'fleet pages',
  sql: `
    ALTER TABLE instances ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
    ALTER TABLE instances ADD COLUMN ipv4_sort TEXT NOT NULL DEFAULT '~';
    ALTER TABLE instances ADD COLUMN tailnet_sort TEXT NOT NULL DEFAULT '~';
    ALTER TABLE instances ADD COLUMN price_sort REAL NOT NULL DEFAULT 1e18;
    ALTER TABLE instances ADD COLUMN agent_sort TEXT NOT NULL DEFAULT '';
    UPDATE instances SET
      agent_sort = coalesce((SELECT a.name FROM agents a WHERE a.id = instances.agent_id), ''),
      search_text = ${SQLITE_SEARCH_TEXT},
      ipv4_sort = ${sqliteIpKey('public_ipv4')},
      tailnet_sort = ${sqliteIpKey('tailnet_ip')},
      price_sort = CASE WHEN monthly_price_gross GLOB '[0-9]*' AND monthly_price_gross NOT GLOB '*[^0-9.]*' THEN CAST(monthly_price_gross AS REAL) ELSE 1e18 END;
    ${SORT_INDEXES}
    CREATE VIRTUAL TABLE instances_search USING fts5(search_text, content='instances', tokenize='trigram');
    INSERT INTO instances_search(instances_search) VALUES ('rebuild');
    CREATE TRIGGER instances_search_insert AFTER INSERT ON instances BEGIN
      INSERT INTO instances_search(rowid, search_text) VALUES (new.rowid, new.search_text);
    END;
    CREATE TRIGGER instances_search_delete AFTER DELETE ON instances BEGIN
      INSERT INTO instances_search(instances_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    END;
    CREATE TRIGGER instances_search_update AFTER UPDATE OF search_text ON instances BEGIN
      INSERT INTO instances_search(instances_search, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
      INSERT INTO instances_search(rowid, search_text) VALUES (new.rowid, new.search_text);
    END;
  `,
};

export const FLEET_PAGE_POSTGRES: Migration = {
  version: 9,
  name: 'fleet pages',
  sql: `
    ALTER TABLE instances ADD COLUMN search_text TEXT COLLATE "C" NOT NULL DEFAULT '';
    ALTER TABLE instances ADD COLUMN ipv4_sort TEXT COLLATE "C" NOT NULL DEFAULT '~';
    ALTER TABLE instances ADD COLUMN tailnet_sort TEXT COLLATE "C" NOT NULL DEFAULT '~';
    ALTER TABLE instances ADD COLUMN price_sort DOUBLE PRECISION NOT NULL DEFAULT 1e18;
    ALTER TABLE instances ADD COLUMN agent_sort TEXT COLLATE "C" NOT NULL DEFAULT '';
    UPDATE instances i SET
      agent_sort = a.name,
      search_text = lower(concat_ws(chr(10), i.name, nullif(a.name, ''), nullif(a.customer, ''), nullif(i.public_ipv4, ''), nullif(i.public_ipv6, ''), nullif(i.tailnet_ip, ''), i.server_id::text)),
      ipv4_sort = ${postgresIpKey('i.public_ipv4')},
      tailnet_sort = ${postgresIpKey('i.tailnet_ip')},
      price_sort = CASE WHEN i.monthly_price_gross ~ '^[0-9]+(\\.[0-9]+)?$' THEN i.monthly_price_gross::double precision ELSE 1e18 END
    FROM agents a WHERE a.id = i.agent_id;
    ${SORT_INDEXES}
    DO $$
    BEGIN
      CREATE EXTENSION IF NOT EXISTS pg_trgm;
      CREATE INDEX instances_search_trgm ON instances USING gin (search_text gin_trgm_ops);
    EXCEPTION WHEN OTHERS THEN
      RAISE NOTICE 'pg_trgm is not available: fleet search reads every row';
    END $$;
  `,
};
