// TokenService: the vault plus the checks, behind the operations the contract exposes
// (tokens:set / test / clear / status / reset). Rules:
//  - `set` checks BEFORE storing: a token the cloud refuses (or cannot vouch for, unreachable) is
//    not stored; the returned status says why. A stored value stays as it was.
//  - every status, message and error is secret-free; secrets leave only through `credentials()`,
//    which is for core (building clients) and must never be exposed through the contract.
//  - the last check per provider is remembered in memory and in tokens-status.json (non-secret).
//  - a locked vault changes nothing: set and clear need the key (refused with `locked` otherwise);
//    `reset` is the one confirmed way to delete everything without it.
import { dirname } from 'node:path';
import { OutpostError } from '../../../shared/errors';
import { HETZNER_BASE_URL } from '../hetzner';
import { silentLogger, type Logger } from '../log';
import { registerSecret } from '../redact';
import { TAILSCALE_BASE_URL } from '../tailscale';
import type { TokenVault } from '../vault';
import { SECRET_LABELS, type SecretName } from '../vault/names';
import { scrub, type CheckOptions } from './common';
import { checkHetznerToken, type HetznerTokenCheck } from './hetzner-check';
import { readStatusFile, statusFilePath, writeStatusFile, type RememberedChecks } from './status-file';
import {
  HetznerTokenInputSchema,
  TailscaleClientInputSchema,
  missingStatus,
  type ProviderTokenStatus,
  type TokenInputs,
  type TokenProvider,
  type TokenStatus,
  VAULT_RESET_PHRASE,
} from './status';
import { checkTailscaleClient, type TailscaleClientCheck } from './tailscale-check';

export interface TokenChecks {
  hetzner: typeof checkHetznerToken;
  tailscale: typeof checkTailscaleClient;
}

export interface TokenServiceOptions {
  vault: TokenVault;
  /** Default the real endpoints; sandbox mode passes the simulator's. */
  hetznerUrl?: string;
  tailscaleUrl?: string;
  checkOptions?: CheckOptions;
  /** Replaces the network checks (tests). */
  checks?: Partial<TokenChecks>;
  /** Default: tokens-status.json next to the vault. */
  statusFile?: string;
  logger?: Logger;
}

/** Decrypted credentials for core. Never serialise, log or return through the contract. */
export interface CoreCredentials {
  hetznerToken: string | null;
  tailscale: { clientId: string; clientSecret: string } | null;
}

/** The vault entry whose updatedAt identifies "the stored value" of each provider. */
const PRIMARY: Record<TokenProvider, SecretName> = { hetzner: 'hetznerToken', tailscale: 'tailscaleClientSecret' };
const NAMES: Record<TokenProvider, SecretName[]> = { hetzner: ['hetznerToken'], tailscale: ['tailscaleClientId', 'tailscaleClientSecret'] };
const LABEL: Record<TokenProvider, string> = { hetzner: 'Hetzner token', tailscale: 'Tailscale OAuth client' };

export class TokenService {
  private readonly vault: TokenVault;
  private readonly checks: TokenChecks;
  private readonly logger: Logger;
  private readonly statusPath: string;
  private remembered: RememberedChecks;
  private readonly queues = new Map<TokenProvider, Promise<unknown>>();

  constructor(private readonly options: TokenServiceOptions) {
    this.vault = options.vault;
    this.checks = { hetzner: checkHetznerToken, tailscale: checkTailscaleClient, ...options.checks };
    this.logger = options.logger ?? silentLogger;
    this.statusPath = options.statusFile ?? statusFilePath(dirname(options.vault.path));
    this.remembered = readStatusFile(this.statusPath);
  }

  /** What the renderer may see. Synchronous and key-free: works while the vault is locked. */
  status(): TokenStatus {
    return {
      hetzner: this.providerStatus('hetzner'),
      tailscale: this.providerStatus('tailscale'),
      vault: { format: this.vault.format, locked: this.vault.locked, notices: [...this.vault.notices] },
    };
  }

  /** Checks the input against the cloud and stores it only if the cloud accepted it. */
  set<P extends TokenProvider>(provider: P, input: TokenInputs[P]): Promise<ProviderTokenStatus> {
    return this.serial(provider, async () => {
      const secrets = this.parseInput(provider, input);
      // The key first: a locked vault refuses before the token travels to the cloud for a check.
      await this.vault.unlock();
      const status = await this.runCheck(provider, secrets);
      if (status.state !== 'valid' && status.state !== 'read_only') {
        this.logger.info('tokens: refused, not stored', { provider, state: status.state });
        const tail = status.state === 'unreachable' ? 'Nothing was stored; try again once it can be checked.' : 'Nothing was stored.';
        return { ...status, message: `${status.message ?? ''} ${tail}`.trim() };
      }
      await this.vault.setMany(secrets);
      this.remember(provider, status);
      this.logger.info('tokens: stored', { provider, state: status.state });
      return status;
    });
  }

  /** Re-checks the stored value (e.g. on start, or from Settings). */
  test(provider: TokenProvider): Promise<ProviderTokenStatus> {
    return this.serial(provider, async () => {
      const secrets = await this.stored(provider);
      if (!secrets) return missingStatus();
      const status = await this.runCheck(provider, secrets);
      this.remember(provider, status);
      this.logger.info('tokens: checked', { provider, state: status.state });
      return status;
    });
  }

  clear(provider: TokenProvider): Promise<ProviderTokenStatus> {
    return this.serial(provider, async () => {
      await this.vault.clear(...NAMES[provider]);
      delete this.remembered[provider];
      this.persist();
      this.logger.info('tokens: cleared', { provider });
      return missingStatus();
    });
  }

  /**
   * Deletes every stored token and every remembered check, without the key: the way out when the
   * passphrase is lost. `confirm` must be VAULT_RESET_PHRASE (the contract checks it too; this guards
   * every other caller). VMs, jobs, settings and the store are untouched.
   */
  reset(confirm: string): Promise<TokenStatus> {
    if (confirm !== VAULT_RESET_PHRASE) {
      return Promise.reject(
        new OutpostError('invalid_input', `confirm: type "${VAULT_RESET_PHRASE}" to reset the vault. ${describeLoss(this.vault.status())}`, {
          hint: 'Nothing was deleted.',
        }),
      );
    }
    // Waits for whatever either provider is doing, so no check result outlives the reset.
    return this.serial('hetzner', () =>
      this.serial('tailscale', async () => {
        const lost = await this.vault.reset();
        this.remembered = {};
        this.persist();
        this.logger.warn('tokens: vault reset', { lost });
        return this.status();
      }),
    );
  }

  /** CORE ONLY: decrypted values to build clients with (null where nothing is stored). */
  async credentials(): Promise<CoreCredentials> {
    const hetzner = await this.stored('hetzner');
    const tailscale = await this.stored('tailscale');
    return {
      hetznerToken: hetzner?.hetznerToken ?? null,
      tailscale: tailscale ? { clientId: tailscale.tailscaleClientId as string, clientSecret: tailscale.tailscaleClientSecret as string } : null,
    };
  }

  /**
   * CORE ONLY: the team server's API token in the same vault (core/team-client signs requests with it).
   * Write-only outward like the clouds' tokens: the contract learns only `stored()`.
   */
  readonly teamToken = {
    stored: (): boolean => this.vault.status().teamToken === 'stored',
    reveal: (): Promise<string | null> => this.vault.reveal('teamToken'),
    set: (value: string): Promise<void> => this.vault.set('teamToken', value),
    clear: (): Promise<void> => this.vault.clear('teamToken'),
  };

  // ---- internals ----

  private providerStatus(provider: TokenProvider): ProviderTokenStatus {
    const primary = PRIMARY[provider];
    const updatedAt = this.vault.updatedAt(primary);
    if (this.vault.status()[primary] === 'missing' || updatedAt === null) return missingStatus();
    const r = this.remembered[provider];
    if (r && r.forUpdatedAt === updatedAt) {
      const { forUpdatedAt: _forUpdatedAt, ...status } = r;
      return status;
    }
    return { state: 'stored', checkedAt: null, message: null };
  }

  /** Validates and trims the input; the error names the field, never its value. */
  private parseInput(provider: TokenProvider, input: unknown): Partial<Record<SecretName, string>> {
    const schema = provider === 'hetzner' ? HetznerTokenInputSchema : TailscaleClientInputSchema;
    const parsed = schema.safeParse(input);
    if (!parsed.success) {
      throw new OutpostError('invalid_input', parsed.error.issues[0]?.message ?? `The ${LABEL[provider]} is not valid.`);
    }
    const data = parsed.data as { token?: string; clientId?: string; clientSecret?: string };
    const secrets: Partial<Record<SecretName, string>> =
      provider === 'hetzner' ? { hetznerToken: data.token } : { tailscaleClientId: data.clientId, tailscaleClientSecret: data.clientSecret };
    for (const value of Object.values(secrets)) if (value) registerSecret(value);
    return secrets;
  }

  /** Null when incomplete (e.g. a Tailscale secret without its client id). */
  private async stored(provider: TokenProvider): Promise<Partial<Record<SecretName, string>> | null> {
    const out: Partial<Record<SecretName, string>> = {};
    for (const name of NAMES[provider]) {
      if (this.vault.status()[name] === 'missing') return null;
      const value = await this.vault.reveal(name);
      if (value === null) return null;
      out[name] = value;
    }
    return out;
  }

  private async runCheck(provider: TokenProvider, secrets: Partial<Record<SecretName, string>>): Promise<ProviderTokenStatus> {
    const opts = this.options.checkOptions ?? {};
    const values = Object.values(secrets).filter((v): v is string => typeof v === 'string');
    let status: ProviderTokenStatus;
    if (provider === 'hetzner') {
      const r = await this.checks.hetzner(this.options.hetznerUrl ?? HETZNER_BASE_URL, secrets.hetznerToken ?? '', opts);
      status = fromHetzner(r);
    } else {
      const r = await this.checks.tailscale(this.options.tailscaleUrl ?? TAILSCALE_BASE_URL, secrets.tailscaleClientId ?? '', secrets.tailscaleClientSecret ?? '', opts);
      status = fromTailscale(r);
    }
    // Defence in depth: whatever a check or a server said, no stored or offered value leaves here.
    return { ...status, message: status.message === null ? null : scrub(status.message, values) };
  }

  private remember(provider: TokenProvider, status: ProviderTokenStatus): void {
    const forUpdatedAt = this.vault.updatedAt(PRIMARY[provider]);
    if (forUpdatedAt === null) return;
    this.remembered[provider] = { ...status, forUpdatedAt };
    this.persist();
  }

  private persist(): void {
    try {
      writeStatusFile(this.statusPath, this.remembered);
    } catch (err) {
      // A cache: losing it costs one re-check after a restart, never a token.
      this.logger.warn('tokens: could not write the status file', { error: err });
    }
  }

  /** One operation per provider at a time, so a check result always belongs to the stored value. */
  private serial<T>(provider: TokenProvider, fn: () => Promise<T>): Promise<T> {
    const result = (this.queues.get(provider) ?? Promise.resolve()).then(fn);
    this.queues.set(provider, result.catch(() => undefined));
    return result;
  }
}

function fromHetzner(r: HetznerTokenCheck): ProviderTokenStatus {
  const status: ProviderTokenStatus = { state: r.status, checkedAt: r.checkedAt, message: r.message };
  if (r.capabilities) status.capabilities = { write: r.capabilities.write };
  return status;
}

function fromTailscale(r: TailscaleClientCheck): ProviderTokenStatus {
  const status: ProviderTokenStatus = { state: r.status, checkedAt: r.checkedAt, message: r.message };
  if (r.scopes || r.tags) status.capabilities = { ...(r.scopes ? { scopes: r.scopes } : {}), ...(r.tags ? { tags: r.tags } : {}) };
  return status;
}

/** What a reset would delete, in words: shown before it happens (the refusal, the CLI, Settings). */
export function describeLoss(presence: Record<SecretName, 'stored' | 'missing'>): string {
  const stored = (Object.keys(presence) as SecretName[]).filter((name) => presence[name] === 'stored').map((name) => SECRET_LABELS[name]);
  if (stored.length === 0) return 'The vault holds no token; resetting it deletes only its file (and its passphrase).';
  return `Resetting deletes the stored ${stored.join(', ')} for good; they must be entered again. VMs, jobs and settings are kept.`;
}
