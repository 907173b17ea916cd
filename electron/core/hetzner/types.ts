// The subset of the Hetzner Cloud API objects Outpost reads (reference §2). Field names are the
// API's own; anything Outpost does not use is left out rather than typed loosely.

export type Labels = Record<string, string>;

export type ServerStatus =
  | 'running'
  | 'initializing'
  | 'starting'
  | 'stopping'
  | 'off'
  | 'deleting'
  | 'migrating'
  | 'rebuilding'
  | 'unknown';

export type ActionStatus = 'running' | 'success' | 'error';

export interface Action {
  id: number;
  command: string;
  status: ActionStatus;
  progress: number;
  started: string;
  finished: string | null;
  resources: { id: number; type: string }[];
  error: { code: string; message: string } | null;
}

export interface Location {
  id: number;
  name: string;
  description: string;
  country: string;
  city: string;
  latitude: number;
  longitude: number;
  network_zone: string;
}

export interface Price {
  net: string;
  gross: string;
}

export interface ServerTypePrice {
  location: string;
  price_hourly: Price;
  price_monthly: Price;
  included_traffic?: number;
  price_per_tb_traffic?: Price;
}

export interface ServerTypeLocation {
  id: number;
  name: string;
  deprecation: { announced: string; unavailable_after: string } | null;
  available: boolean;
  recommended: boolean;
}

export type Architecture = 'x86' | 'arm';

export interface ServerType {
  id: number;
  name: string;
  description: string;
  cores: number;
  memory: number;
  disk: number;
  prices: ServerTypePrice[];
  storage_type: string;
  cpu_type: string;
  category?: string;
  architecture: Architecture;
  deprecation?: { announced: string; unavailable_after: string } | null;
  /** Where the type can be ordered right now; `available: false` = out of stock there. */
  locations?: ServerTypeLocation[];
}

export interface Image {
  id: number;
  type: 'system' | 'app' | 'snapshot' | 'backup';
  status: 'available' | 'creating' | 'unavailable';
  name: string | null;
  description: string;
  os_flavor: string;
  os_version: string | null;
  architecture: Architecture;
  deprecated: string | null;
  labels?: Labels;
}

export interface Server {
  id: number;
  name: string;
  status: ServerStatus;
  created: string;
  public_net: {
    ipv4: { id?: number; ip: string; blocked?: boolean; dns_ptr?: string } | null;
    /** `ip` is the /64 network in CIDR form, not an address. */
    ipv6: { id?: number; ip: string; blocked?: boolean } | null;
  };
  server_type: ServerType;
  location: Location;
  image: Image | null;
  labels: Labels;
  locked?: boolean;
}

export interface Pagination {
  page: number;
  per_page: number;
  previous_page: number | null;
  next_page: number | null;
  last_page: number | null;
  total_entries: number | null;
}

export interface Meta {
  pagination?: Pagination;
}

export interface CreateServerRequest {
  name: string;
  server_type: string | number;
  image: string | number;
  location?: string;
  ssh_keys?: (string | number)[];
  user_data?: string;
  labels?: Labels;
  start_after_create?: boolean;
  public_net?: { enable_ipv4?: boolean; enable_ipv6?: boolean };
  firewalls?: { firewall: number }[];
  networks?: number[];
}

export interface CreateServerResponse {
  server: Server;
  action: Action;
  next_actions: Action[];
  root_password: string | null;
}

/** Scheduling class of a request, highest first: see RateBudget. */
export type Priority = 'mutation' | 'wait' | 'sync';
