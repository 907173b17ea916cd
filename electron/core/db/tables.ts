// The store's tables as Kysely sees them: one description for both engines (DESIGN §8). Column types
// are what the drivers hand back: text for ids, ISO instants and JSON; integers (0/1 for flags) as
// numbers — the PostgreSQL pool parses int8 and numeric counts to numbers too (engine.ts), so a row
// reads the same on either engine.
import type { Generated } from 'kysely';

export interface AgentsTable {
  id: string;
  name: string;
  customer: string | null;
  status: 'pending' | 'active' | 'failed' | 'destroyed';
  created_at: string;
  updated_at: string;
}

export interface PaymentsTable {
  id: string;
  reference: string;
  customer: string;
  contact: string | null;
  amount_cents: number;
  currency: string;
  plan: string;
  region: string;
  note: string | null;
  status: 'recorded' | 'provisioning' | 'fulfilled' | 'failed';
  job_id: string | null;
  instance_id: string | null;
  recorded_at: string;
  enrolled_at: string | null;
}

export interface JobsTable {
  id: string;
  kind: 'provision' | 'destroy';
  status: 'queued' | 'running' | 'compensating' | 'succeeded' | 'failed' | 'cancelled';
  step: string | null;
  instance_id: string | null;
  payment_id: string | null;
  params: Generated<string>;
  state: Generated<string>;
  error_step: string | null;
  error_code: string | null;
  error_message: string | null;
  cancel_requested: Generated<number>;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  retry_of: string | null;
  group_id: string | null;
  /** The process running the job (provisioning/lease.ts); null when no process holds it. */
  lease_owner: string | null;
  /** ISO instant after which another process may claim the job (its holder died or stalled). */
  lease_expires_at: string | null;
  /** Grows by one at each claim; every write of the job's progress checks it (fencing). */
  lease_token: Generated<number>;
}

export interface JobEventsTable {
  job_id: string;
  seq: number;
  at: string;
  type: string;
  step: string | null;
  duration_ms: number | null;
  data: Generated<string>;
}

export interface InstancesTable {
  id: string;
  name: string;
  agent_id: string;
  job_id: string | null;
  region: string;
  server_type: string;
  image: string;
  status: 'provisioning' | 'running' | 'failed' | 'destroying' | 'destroyed';
  server_id: number | null;
  public_ipv4: string | null;
  public_ipv6: string | null;
  tailnet_ip: string | null;
  node_id: string | null;
  hostname: string;
  key_id: string | null;
  enrollment: Generated<'pending' | 'online' | 'offline' | 'gone'>;
  last_seen: string | null;
  drift: Generated<number>;
  monthly_price_gross: string | null;
  created_at: string;
  updated_at: string;
  destroyed_at: string | null;
  origin: Generated<'local' | 'adopted'>;
  origin_store: string | null;
  origin_job: string | null;
  adopted_at: string | null;
  payment_ref: string | null;
  drift_since: string | null;
  /** Derived, written with the row (repos/instance-keys.ts): what the fleet searches and sorts by (migration 9). */
  search_text: Generated<string>;
  ipv4_sort: Generated<string>;
  tailnet_sort: Generated<string>;
  price_sort: Generated<number>;
  agent_sort: Generated<string>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  role: string;
  action: string;
  target: string | null;
  target_name: string | null;
  outcome: 'ok' | 'refused' | 'error';
  detail: Generated<string>;
}

export interface CatalogTable {
  kind: 'location' | 'server_type' | 'image';
  name: string;
  data: string;
  refreshed_at: string;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface WebhookEventsTable {
  event_id: string;
  received_at: string;
  outcome: 'pending' | 'recorded' | 'already_recorded' | 'conflict' | 'refused';
  reference: string;
  status: number | null;
  answer: string | null;
}

export interface UsersTable {
  id: string;
  name: string;
  /** The name folded for uniqueness (auth/names.ts): UNIQUE, so the database refuses a look-alike twin. */
  name_key: string;
  role: 'operator' | 'support' | 'payments';
  /** `scrypt$N$r$p$salt$hash` (auth/passwords.ts); null until the user has used an invite. */
  password_hash: string | null;
  created_at: string;
  updated_at: string;
  disabled_at: string | null;
}

export interface InvitesTable {
  /** SHA-256 (hex) of the one-time sign-in link's token; the token itself is never stored. */
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionsTable {
  /** SHA-256 (hex) of the session cookie's value. */
  id: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  /** SHA-256 (hex) of the bearer token, shown to its owner once. */
  token_hash: string;
  user_id: string;
  name: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface Tables {
  agents: AgentsTable;
  payments: PaymentsTable;
  jobs: JobsTable;
  job_events: JobEventsTable;
  instances: InstancesTable;
  audit_log: AuditLogTable;
  catalog: CatalogTable;
  meta: MetaTable;
  webhook_events: WebhookEventsTable;
  users: UsersTable;
  invites: InvitesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
}
