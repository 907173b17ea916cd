// The Tailscale client: one transport, one token source, keys and devices on top.
import { registerSecret } from '../redact';
import { DevicesApi } from './devices';
import { TailscaleHttp, TailscaleTransport, type TokenSource, type TransportOptions } from './http';
import { KeysApi } from './keys';
import { OAuthTokenSource, StaticTokenSource, type OAuthCredentials, type OAuthOptions } from './oauth';

export interface TailscaleClientOptions extends TransportOptions, OAuthOptions {
  /** OAuth client credentials (preferred) or a user API token. */
  auth: { oauth: OAuthCredentials } | { apiToken: string };
  /** Default '-', the token's own tailnet. */
  tailnet?: string;
}

export class TailscaleClient {
  readonly transport: TailscaleTransport;
  readonly tokens: TokenSource;
  readonly http: TailscaleHttp;
  readonly keys: KeysApi;
  readonly devices: DevicesApi;

  constructor(options: TailscaleClientOptions) {
    this.transport = new TailscaleTransport(options);
    if ('oauth' in options.auth) this.tokens = new OAuthTokenSource(this.transport, options.auth.oauth, options);
    else {
      registerSecret(options.auth.apiToken);
      this.tokens = new StaticTokenSource(options.auth.apiToken);
    }
    this.http = new TailscaleHttp(this.transport, this.tokens);
    this.keys = new KeysApi(this.http, options.tailnet ?? '-');
    this.devices = new DevicesApi(this.http, options.tailnet ?? '-');
  }
}

export * from './types';
export * from './errors';
export { TailscaleTransport, TailscaleHttp, TAILSCALE_BASE_URL, type TokenSource, type TransportOptions, type TsRequestEvent, type SendOptions } from './http';
export { OAuthTokenSource, StaticTokenSource, type OAuthCredentials, type OAuthOptions } from './oauth';
export { KeysApi, sanitizeKeyDescription, type CreateAuthKeyOptions } from './keys';
export { DevicesApi, type ListDevicesOptions } from './devices';
