// Versioned schema. A migration is never edited once it has shipped: add a new one instead.
// Applied in order at open, each in its own transaction, tracked by PRAGMA user_version.

import { FLEET_PAGE_SQLITE } from './migration-fleet-page';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
      CREATE TABLE agents (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        customer    TEXT,
        status      TEXT NOT NULL CHECK (status IN ('pending','active','failed','destroyed')),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );

      CREATE TABLE payments (
        id            TEXT PRIMARY KEY,
        reference     TEXT NOT NULL UNIQUE,
        customer      TEXT NOT NULL,
        contact       TEXT,
        amount_cents  INTEGER NOT NULL CHECK (amount_cents >= 0),
        currency      TEXT NOT NULL,
        plan          TEXT NOT NULL,
        region        TEXT NOT NULL,
        note          TEXT,
        status        TEXT NOT NULL CHECK (status IN ('recorded','provisioning','fulfilled','failed')),
        job_id        TEXT,
        instance_id   TEXT,
        recorded_at   TEXT NOT NULL,
        enrolled_at   TEXT
      );

      CREATE TABLE jobs (
        id              TEXT PRIMARY KEY,
        kind            TEXT NOT NULL CHECK (kind IN ('provision','destroy')),
        status          TEXT NOT NULL CHECK (status IN ('queued','running','compensating','succeeded','failed','cancelled')),
        step            TEXT,
        instance_id     TEXT,
        payment_id      TEXT REFERENCES payments(id),
        params          TEXT NOT NULL DEFAULT '{}',
        state           TEXT NOT NULL DEFAULT '{}',
        error_step      TEXT,
        error_code      TEXT,
        error_message   TEXT,
        cancel_requested INTEGER NOT NULL DEFAULT 0,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        finished_at     TEXT
      );
      CREATE INDEX jobs_status ON jobs(status);
      CREATE INDEX jobs_instance ON jobs(instance_id);

      CREATE TABLE job_events (
        job_id       TEXT NOT NULL REFERENCES jobs(id),
        seq          INTEGER NOT NULL CHECK (seq > 0),
        at           TEXT NOT NULL,
        type         TEXT NOT NULL,
        step         TEXT,
        duration_ms  INTEGER,
        data         TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (job_id, seq)
      ) WITHOUT ROWID;
      -- The timeline is evidence: append-only.
      CREATE TRIGGER job_events_no_update BEFORE UPDATE ON job_events
        BEGIN SELECT RAISE(ABORT, 'job_events is append-only'); END;
      CREATE TRIGGER job_events_no_delete BEFORE DELETE ON job_events
        BEGIN SELECT RAISE(ABORT, 'job_events is append-only'); END;

      CREATE TABLE instances (
        id            TEXT PRIMARY KEY,
        name          TEXT NOT NULL,
        agent_id      TEXT NOT NULL REFERENCES agents(id),
        job_id        TEXT,
        region        TEXT NOT NULL,
        server_type   TEXT NOT NULL,
        image         TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('provisioning','running','failed','destroying','destroyed')),
        server_id     INTEGER,
        public_ipv4   TEXT,
        public_ipv6   TEXT,
        tailnet_ip    TEXT,
        node_id       TEXT,
        hostname      TEXT NOT NULL,
        key_id        TEXT,
        enrollment    TEXT NOT NULL DEFAULT 'pending' CHECK (enrollment IN ('pending','online','offline','gone')),
        last_seen     TEXT,
        drift         INTEGER NOT NULL DEFAULT 0,
        monthly_price_gross TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        destroyed_at  TEXT
      );
      -- A name is taken while its instance exists; destroyed names can be reused.
      CREATE UNIQUE INDEX instances_live_name ON instances(name) WHERE status <> 'destroyed';
      CREATE UNIQUE INDEX instances_server_id ON instances(server_id) WHERE server_id IS NOT NULL;
      CREATE INDEX instances_status ON instances(status);
      CREATE INDEX instances_region ON instances(region);

      CREATE TABLE audit_log (
        id       INTEGER PRIMARY KEY AUTOINCREMENT,
        at       TEXT NOT NULL,
        actor    TEXT NOT NULL,
        role     TEXT NOT NULL,
        action   TEXT NOT NULL,
        target   TEXT,
        outcome  TEXT NOT NULL CHECK (outcome IN ('ok','refused','error')),
        detail   TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX audit_log_at ON audit_log(at);

      -- Cached Hetzner catalog (locations, server types, images), refreshed from the API.
      CREATE TABLE catalog (
        kind          TEXT NOT NULL CHECK (kind IN ('location','server_type','image')),
        name          TEXT NOT NULL,
        data          TEXT NOT NULL,
        refreshed_at  TEXT NOT NULL,
        PRIMARY KEY (kind, name)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    name: 'index the fleet order',
    // instances:list orders by created_at DESC, id: without this index 10,000 rows took ~175 ms to sort.
    sql: `CREATE INDEX instances_created ON instances(created_at DESC, id);`,
  },
  {
    version: 3,
    name: 'retry links and audit target names',
    // A failed job is retried at most once: the UNIQUE index makes a second retry (a second click, a
    // second desktop, a race) fail in the database, not only in a check before it. The audit names its
    // target as well as its id, since ids alone say nothing to a support person.
    sql: `
      ALTER TABLE jobs ADD COLUMN retry_of TEXT REFERENCES jobs(id);
      CREATE UNIQUE INDEX jobs_retry_of ON jobs(retry_of) WHERE retry_of IS NOT NULL;
      ALTER TABLE audit_log ADD COLUMN target_name TEXT;
    `,
  },
  {
    version: 4,
    name: 'one fleet across desktops',
    // The store's own id (random, once per store file) goes on every server it creates as
    // `outpost.store`, so other desktops can say who created a VM. Adopted instances (another
    // Outpost's servers, taken in from their labels) say where they came from and have no local job;
    // drift_since dates when a server was first missed (destroyed-vs-drift rule, fleet-sync.ts).
    sql: `
      CREATE TABLE meta (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO meta (key, value) VALUES ('store_id', lower(hex(randomblob(8))));
      ALTER TABLE instances ADD COLUMN origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local','adopted'));
      ALTER TABLE instances ADD COLUMN origin_store TEXT;
      ALTER TABLE instances ADD COLUMN origin_job TEXT;
      ALTER TABLE instances ADD COLUMN adopted_at TEXT;
      ALTER TABLE instances ADD COLUMN payment_ref TEXT;
      ALTER TABLE instances ADD COLUMN drift_since TEXT;
      CREATE INDEX payments_instance ON payments(instance_id);
      -- A server belongs to at most one live instance; a destroyed row keeps its server id as history
      -- and must not stop the same server being adopted again if it turns out to still exist.
      DROP INDEX instances_server_id;
      CREATE UNIQUE INDEX instances_live_server_id ON instances(server_id) WHERE server_id IS NOT NULL AND status <> 'destroyed';
    `,
  },
  {
    version: 5,
    name: 'payments webhook deliveries',
    // Replay protection for the payments webhook: one row per sender event id, claimed before the
    // payment is recorded (the PRIMARY KEY makes two processes' claims of one id a single winner)
    // and then holding the first answer, which every repeat of the id gets back. Rows are pruned by
    // received_at, hence the index.
    sql: `
      CREATE TABLE webhook_events (
        event_id     TEXT PRIMARY KEY,
        received_at  TEXT NOT NULL,
        outcome      TEXT NOT NULL CHECK (outcome IN ('pending','recorded','already_recorded','conflict','refused')),
        reference    TEXT NOT NULL,
        status       INTEGER,
        answer       TEXT
      ) WITHOUT ROWID;
      CREATE INDEX webhook_events_received ON webhook_events(received_at);
    `,
  },
  {
    version: 6,
    name: 'provision batches',
    // Provision with a quantity records its jobs together; the group id lets the panel show them as
    // one card with its own progress, read through the index.
    sql: `
      ALTER TABLE jobs ADD COLUMN group_id TEXT;
      CREATE INDEX jobs_group ON jobs(group_id) WHERE group_id IS NOT NULL;
    `,
  },
  {
    version: 7,
    name: 'team users',
    // The team server's people (issue 16): users with a fixed role, one-time sign-in links, browser
    // sessions and API tokens for scripts. Every bearer secret is kept as its SHA-256 only (a copy of
    // the database signs no one in); passwords as scrypt strings with their parameters. name_key is the
    // name folded by core (electron/core/auth/names.ts) so "Ana" and "ANA" cannot both exist the same
    // way on both engines (SQLite's NOCASE folds ASCII only). A session's CSRF token is kept as is: it
    // signs nothing in without the session cookie (kept hashed), and the server hands it to a reloaded
    // page. Same tables in migrations-postgres.ts.
    sql: `
      CREATE TABLE users (
        id             TEXT PRIMARY KEY,
        name           TEXT NOT NULL,
        name_key       TEXT NOT NULL UNIQUE,
        role           TEXT NOT NULL CHECK (role IN ('operator','support','payments')),
        password_hash  TEXT,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        disabled_at    TEXT
      ) WITHOUT ROWID;

      CREATE TABLE invites (
        token_hash  TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL,
        used_at     TEXT
      ) WITHOUT ROWID;
      CREATE INDEX invites_user ON invites(user_id);

      CREATE TABLE sessions (
        id            TEXT PRIMARY KEY,
        user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf_token    TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        last_seen_at  TEXT NOT NULL,
        expires_at    TEXT NOT NULL,
        revoked_at    TEXT
      ) WITHOUT ROWID;
      CREATE INDEX sessions_user ON sessions(user_id);

      CREATE TABLE api_tokens (
        id            TEXT PRIMARY KEY,
        token_hash    TEXT NOT NULL UNIQUE,
        user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name          TEXT NOT NULL,
        created_at    TEXT NOT NULL,
        last_used_at  TEXT,
        revoked_at    TEXT
      ) WITHOUT ROWID;
      CREATE INDEX api_tokens_user ON api_tokens(user_id);
      CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens(user_id, name) WHERE revoked_at IS NULL;
    `,
  },
  {
    version: 8,
    name: 'job leases',
    // Several server processes on one database (issue 16): a process runs a job only while it holds
    // the job's lease (owner + expiry, renewed while it runs). lease_token grows by one at every claim
    // and every write of the job's progress checks it (provisioning/lease.ts), so a process that lost
    // the lease (paused, partitioned, declared dead) cannot write over its successor's work. The index
    // serves the claim query (non-terminal jobs whose lease is absent or expired). Same columns in
    // migrations-postgres.ts.
    sql: `
      ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
      ALTER TABLE jobs ADD COLUMN lease_expires_at TEXT;
      ALTER TABLE jobs ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX jobs_claim ON jobs(status, lease_expires_at);
    `,
  },
  // Fleet pages (issue 14): derived search and sort columns, one index per sort, the search index.
  FLEET_PAGE_SQLITE,
];
