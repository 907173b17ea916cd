// The subset of Tailscale API v2 objects Outpost reads (reference tailscale-api.md §1.4–1.6).

export interface Device {
  id: string;
  nodeId: string;
  /** MagicDNS name; may carry a -1/-2 suffix after collisions: never match on it. */
  name: string;
  /** What the node reported (`tailscale up --hostname`), as given: match on this. */
  hostname: string;
  addresses: string[];
  tags?: string[];
  os?: string;
  clientVersion?: string;
  /** "" for external devices. */
  created: string;
  /** Omitted while connectedToControl is true or if never online. */
  lastSeen?: string;
  connectedToControl?: boolean;
  authorized: boolean;
  isEphemeral?: boolean;
  isExternal?: boolean;
  keyExpiryDisabled?: boolean;
  expires?: string;
  user?: string;
}

export interface KeyCapabilities {
  devices: {
    create?: { reusable?: boolean; ephemeral?: boolean; preauthorized?: boolean; tags?: string[] };
  };
}

/** A key as read back: never contains the secret. */
export interface KeyInfo {
  id: string;
  keyType?: string;
  expirySeconds?: number;
  created: string;
  expires?: string;
  revoked?: string;
  invalid?: boolean;
  capabilities?: KeyCapabilities;
  description?: string;
}

/** The create answer: the only time the secret (`key`) exists outside Tailscale. */
export interface NewAuthKey extends KeyInfo {
  key: string;
}

export interface OAuthTokenResponse {
  access_token: string;
  token_type?: string;
  expires_in: number;
  scope?: string;
}
