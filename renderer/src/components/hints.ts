// What to do about an error, by code or the cloud's apiCode, when the backend sent no hint of its own.
export interface ErrorLike {
  code: string;
  message: string;
  hint?: string | undefined;
  apiCode?: string | undefined;
  step?: string | undefined;
}

const HINTS: Record<string, string> = {
  read_only: 'You are in the support role, which can look but not change anything. Ask an operator, or switch the role in Settings if you are one.',
  token_readonly: 'The stored Hetzner token is read-only. Replace it with a read & write token in Settings → Tokens.',
  unauthorized: 'A cloud refused the stored credentials. Check or replace them in Settings → Tokens.',
  forbidden: 'This page is not allowed to call Outpost. Open it from the URL that `outpost web` printed.',
  resource_unavailable: 'This server type is out of stock in that location. Choose another location in the same network zone, or another type.',
  unavailable: 'A cloud (or the simulator) could not be reached, or said it is unavailable. Check the network and the cloud’s status page, then try again.',
  rate_limited: 'Hetzner’s rate limit was hit. Outpost backs off by itself; try again in a minute.',
  rate_limit_exceeded: 'Hetzner allows 3600 requests an hour per project, shared by every tool using its tokens. Retry in a minute or two.',
  http_403: 'Tailscale refused the call: the OAuth client lacks a scope. Create one with the scopes auth_keys and devices:core and the tags in Settings → Tailscale tags, then store it in Settings → Tokens.',
  timeout: 'The step ran past its deadline. Retry; if it keeps happening, check the cloud’s status page.',
  locked: 'The vault is locked. Restart Outpost with the right passphrase (OUTPOST_PASSPHRASE).',
  conflict: 'It collides with the current state. Reload, then try again with a different name or after the running job ends.',
  not_found: 'It no longer exists. Reload the page.',
  invalid_input: 'Fix the highlighted field and submit again.',
  cancelled: 'An operator cancelled the job. Everything it made was removed; start it again if needed.',
  uniqueness_error: 'A server with that name already exists in the project. Pick another name.',
  server_limit_exceeded: 'The Hetzner project reached its server limit. Destroy unused VMs or ask Hetzner to raise the limit.',
  action_failed: 'Hetzner could not complete the action. Everything the job made was removed: Retry, or choose another location or server type.',
  internal: 'Something went wrong inside Outpost. Copy the diagnostics and report it.',
};

export function hintFor(error: ErrorLike): string | null {
  if (error.hint) return error.hint;
  return (error.apiCode ? HINTS[error.apiCode] : undefined) ?? HINTS[error.code] ?? null;
}

export const isResourceUnavailable = (error: ErrorLike): boolean =>
  error.apiCode === 'resource_unavailable' || error.code === 'resource_unavailable';
