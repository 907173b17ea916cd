// The simulator's whole world as plain JSON, so it can be persisted and inspected as-is.
// Times are epoch milliseconds; rendering to each API's wire format happens at the edge.

export interface SandboxCredentials {
  hetznerToken: string;
  hetznerReadOnlyToken: string;
  tailscaleClientId: string;
  tailscaleClientSecret: string;
  tailscaleTags: string[];
}

export type ServerStatus = 'initializing' | 'starting' | 'running' | 'off' | 'deleting';

export interface ServerRecord {
  id: number;
  name: string;
  status: ServerStatus;
  created: number;
  serverType: string;
  location: string;
  imageId: number;
  labels: Record<string, string>;
  userData: string | null;
  sshKeys: number[];
  ipv4: { id: number; ip: string } | null;
  ipv6: { id: number; network: string } | null;
  /** Actions that hold the server's lock while they run (create_server, delete_server). */
  lockedBy: number | null;
  boot: BootOutcome;
}

export type BootState = 'pending' | 'booting' | 'enrolled' | 'failed' | 'suppressed' | 'cancelled' | 'no_join';

export interface BootOutcome {
  state: BootState;
  reason: string | null;
  hostname: string | null;
  keyId: string | null;
  deviceId: string | null;
  enrollAt: number | null;
}

export interface ActionRecord {
  id: number;
  command: string;
  status: 'running' | 'success' | 'error';
  started: number;
  finishAt: number;
  finished: number | null;
  resources: { id: number; type: string }[];
  /** Decided when the action is created (fault injection), applied when it ends. */
  failWith: { code: string; message: string } | null;
  error: { code: string; message: string } | null;
  progressAtEnd: number | null;
  /** How `progress` moves while it runs (hetzner/progress.ts); absent in older state files: linear. */
  progressCurve?: { at: number; percent: number }[];
}

export interface SshKeyRecord {
  id: number;
  name: string;
  publicKey: string;
  fingerprint: string;
  labels: Record<string, string>;
  created: number;
}

export interface AuthKeyRecord {
  id: string;
  /** sha256 of the full `tskey-auth-…` string: the secret itself is never kept. */
  secretHash: string;
  created: number;
  expirySeconds: number;
  expiresAt: number;
  revokedAt: number | null;
  description: string;
  reusable: boolean;
  ephemeral: boolean;
  preauthorized: boolean;
  tags: string[];
  userId: string;
  uses: { serverId: number | null; deviceId: string; at: number }[];
  rejections: { serverId: number | null; reason: string; at: number }[];
}

export interface DeviceRecord {
  id: string;
  nodeId: string;
  hostname: string;
  name: string;
  addresses: [string, string];
  tags: string[];
  user: string;
  created: number;
  keyExpiryDisabled: boolean;
  expires: number | null;
  authorized: boolean;
  isEphemeral: boolean;
  connectedToControl: boolean;
  lastSeen: number | null;
  machineKey: string;
  nodeKey: string;
  tailnetLockKey: string;
  sshEnabled: boolean;
  distro: { name: string; version: string; codeName: string };
  endpoint: string;
  serverId: number | null;
  keyId: string | null;
  reapAt: number | null;
}

export interface AccessTokenRecord {
  tokenHash: string;
  id: string;
  clientId: string;
  scopes: string[];
  tags: string[];
  expiresAt: number;
}

export type SimEvent =
  | { at: number; kind: 'action_end'; actionId: number }
  | { at: number; kind: 'enroll'; serverId: number }
  | { at: number; kind: 'reap'; deviceId: string };

export interface SimState {
  version: 1;
  seed: number;
  credentials: SandboxCredentials;
  tailnet: { id: string; dnsName: string };
  counters: { server: number; action: number; ip: number; sshKey: number; device: number };
  /** PRNG positions, so a restarted simulator continues the same sequence. */
  rng: Record<string, number>;
  servers: ServerRecord[];
  actions: ActionRecord[];
  sshKeys: SshKeyRecord[];
  keys: AuthKeyRecord[];
  devices: DeviceRecord[];
  tokens: AccessTokenRecord[];
  events: SimEvent[];
}
