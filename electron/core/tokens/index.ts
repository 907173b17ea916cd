// Token checks, the TokenStatus DTO proposal and the TokenService that ties them to the vault.
export { checkHetznerToken, type HetznerTokenCheck, type HetznerCheckStatus } from './hetzner-check';
export { checkTailscaleClient, type TailscaleClientCheck, type TailscaleCheckStatus } from './tailscale-check';
export { type CheckOptions } from './common';
export * from './status';
export { TokenService, type TokenServiceOptions, type TokenChecks, type CoreCredentials } from './service';
export { STATUS_FILE } from './status-file';
