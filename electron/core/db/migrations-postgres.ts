// The PostgreSQL schema (team server, DESIGN §8). Versions share their numbers with the SQLite
// migrations (migrations.ts): a PostgreSQL store starts at the schema SQLite reached in six steps, and
// every later change lands in both lists under one version. Never edit a shipped migration.
// Text that is sorted or compared (ids, ISO instants, names) is COLLATE "C": byte order, as SQLite
// compares, whatever locale the database was created with.
// Tracked in outpost_schema; applied under an advisory lock so two servers starting on one database
// at once apply each migration once.
import type { Migration } from './migrations';
import { FLEET_PAGE_POSTGRES } from './migration-fleet-page';

export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 6,
    name: 'initial schema (SQLite versions 1-6)',
    sql: `
      CREATE TABLE agents (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        customer    TEXT,
        status      TEXT NOT NULL CHECK (status IN ('pending','active','failed','destroyed')),
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL
      );

      CREATE TABLE payments (
        id TEXT COLLATE "C" PRIMARY KEY,
        reference TEXT COLLATE "C" NOT NULL UNIQUE,
        customer      TEXT NOT NULL,
        contact       TEXT,
        amount_cents  BIGINT NOT NULL CHECK (amount_cents >= 0),
        currency      TEXT NOT NULL,
        plan          TEXT NOT NULL,
        region        TEXT NOT NULL,
        note          TEXT,
        status        TEXT NOT NULL CHECK (status IN ('recorded','provisioning','fulfilled','failed')),
        job_id        TEXT,
        instance_id   TEXT,
        recorded_at TEXT COLLATE "C" NOT NULL,
        enrolled_at   TEXT
      );
      CREATE INDEX payments_instance ON payments(instance_id);

      CREATE TABLE jobs (
        id TEXT COLLATE "C" PRIMARY KEY,
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
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL,
        finished_at     TEXT,
        retry_of        TEXT REFERENCES jobs(id),
        group_id        TEXT
      );
      CREATE INDEX jobs_status ON jobs(status);
      CREATE INDEX jobs_instance ON jobs(instance_id);
      CREATE UNIQUE INDEX jobs_retry_of ON jobs(retry_of) WHERE retry_of IS NOT NULL;
      CREATE INDEX jobs_group ON jobs(group_id) WHERE group_id IS NOT NULL;

      CREATE TABLE job_events (
        job_id       TEXT NOT NULL REFERENCES jobs(id),
        seq          INTEGER NOT NULL CHECK (seq > 0),
        at TEXT COLLATE "C" NOT NULL,
        type         TEXT NOT NULL,
        step         TEXT,
        duration_ms  BIGINT,
        data         TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (job_id, seq)
      );
      -- The timeline is evidence: append-only.
      CREATE FUNCTION job_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'job_events is append-only'; END $$;
      CREATE TRIGGER job_events_no_change BEFORE UPDATE OR DELETE ON job_events
        FOR EACH ROW EXECUTE FUNCTION job_events_append_only();

      CREATE TABLE instances (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        agent_id      TEXT NOT NULL REFERENCES agents(id),
        job_id        TEXT,
        region        TEXT NOT NULL,
        server_type   TEXT NOT NULL,
        image         TEXT NOT NULL,
        status        TEXT NOT NULL CHECK (status IN ('provisioning','running','failed','destroying','destroyed')),
        server_id     BIGINT,
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
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL,
        destroyed_at  TEXT,
        origin        TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local','adopted')),
        origin_store  TEXT,
        origin_job    TEXT,
        adopted_at    TEXT,
        payment_ref   TEXT,
        drift_since   TEXT
      );
      CREATE UNIQUE INDEX instances_live_name ON instances(name) WHERE status <> 'destroyed';
      CREATE UNIQUE INDEX instances_live_server_id ON instances(server_id) WHERE server_id IS NOT NULL AND status <> 'destroyed';
      CREATE INDEX instances_status ON instances(status);
      CREATE INDEX instances_region ON instances(region);
      CREATE INDEX instances_created ON instances(created_at DESC, id);

      CREATE TABLE audit_log (
        id          BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        at TEXT COLLATE "C" NOT NULL,
        actor       TEXT NOT NULL,
        role        TEXT NOT NULL,
        action      TEXT NOT NULL,
        target      TEXT,
        outcome     TEXT NOT NULL CHECK (outcome IN ('ok','refused','error')),
        detail      TEXT NOT NULL DEFAULT '{}',
        target_name TEXT
      );
      CREATE INDEX audit_log_at ON audit_log(at);

      CREATE TABLE catalog (
        kind          TEXT NOT NULL CHECK (kind IN ('location','server_type','image')),
        name TEXT COLLATE "C" NOT NULL,
        data          TEXT NOT NULL,
        refreshed_at  TEXT NOT NULL,
        PRIMARY KEY (kind, name)
      );

      CREATE TABLE meta (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
      );
      INSERT INTO meta (key, value) VALUES ('store_id', substr(md5(random()::text || clock_timestamp()::text), 1, 16));

      CREATE TABLE webhook_events (
        event_id TEXT COLLATE "C" PRIMARY KEY,
        received_at TEXT COLLATE "C" NOT NULL,
        outcome      TEXT NOT NULL CHECK (outcome IN ('pending','recorded','already_recorded','conflict','refused')),
        reference TEXT COLLATE "C" NOT NULL,
        status       INTEGER,
        answer       TEXT
      );
      CREATE INDEX webhook_events_received ON webhook_events(received_at);
    `,
  },
  {
    version: 7,
    name: 'team users',
    // The same tables as SQLite's migration 7 (see there for why each column is what it is).
    sql: `
      CREATE TABLE users (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        name_key       TEXT NOT NULL UNIQUE,
        role           TEXT NOT NULL CHECK (role IN ('operator','support','payments')),
        password_hash  TEXT,
        created_at TEXT COLLATE "C" NOT NULL,
        updated_at TEXT COLLATE "C" NOT NULL,
        disabled_at    TEXT
      );

      CREATE TABLE invites (
        token_hash  TEXT PRIMARY KEY,
        user_id     TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at TEXT COLLATE "C" NOT NULL,
        expires_at  TEXT NOT NULL,
        used_at     TEXT
      );
      CREATE INDEX invites_user ON invites(user_id);

      CREATE TABLE sessions (
        id TEXT COLLATE "C" PRIMARY KEY,
        user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        csrf_token    TEXT NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        last_seen_at  TEXT NOT NULL,
        expires_at    TEXT NOT NULL,
        revoked_at    TEXT
      );
      CREATE INDEX sessions_user ON sessions(user_id);

      CREATE TABLE api_tokens (
        id TEXT COLLATE "C" PRIMARY KEY,
        token_hash    TEXT NOT NULL UNIQUE,
        user_id       TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        name TEXT COLLATE "C" NOT NULL,
        created_at TEXT COLLATE "C" NOT NULL,
        last_used_at  TEXT,
        revoked_at    TEXT
      );
      CREATE INDEX api_tokens_user ON api_tokens(user_id);
      CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens(user_id, name) WHERE revoked_at IS NULL;
    `,
  },
  {
    version: 8,
    name: 'job leases',
    // The same columns as SQLite's migration 8 (see there). The expiry is an ISO instant compared as
    // text, so byte order ("C"), as everywhere else.
    sql: `
      ALTER TABLE jobs ADD COLUMN lease_owner TEXT;
      ALTER TABLE jobs ADD COLUMN lease_expires_at TEXT COLLATE "C";
      ALTER TABLE jobs ADD COLUMN lease_token INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX jobs_claim ON jobs(status, lease_expires_at);
    `,
  },
  // Fleet pages (issue 14): derived search and sort columns, one index per sort, the search index.
  FLEET_PAGE_POSTGRES,
];
