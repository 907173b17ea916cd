// `outpost vault status` and `outpost vault reset --confirm "delete all tokens"`: the way out of a
// vault whose passphrase is lost (or that the desktop app's keychain wrote). Reset goes through the
// tokens:reset channel like the panel's, so the core guard checks the role and audits it.
import type { Command } from 'commander';
import type { TokenStatus } from '../../../shared/tokens';
import { VAULT_RESET_PHRASE } from '../../../shared/tokens';
import type { Mode } from '../../boot/runtime';
import { openSession } from '../session';

interface VaultCli {
  dataDir: string;
  mode?: Mode;
}

const PROVIDERS = { hetzner: 'the Hetzner API token', tailscale: 'the Tailscale OAuth client (id and secret)' } as const;

/** What a reset would delete (or did), in words; never a value. */
export function storedTokens(status: TokenStatus): string[] {
  return (Object.keys(PROVIDERS) as (keyof typeof PROVIDERS)[]).filter((p) => status[p].state !== 'missing').map((p) => PROVIDERS[p]);
}

export function describeVault(status: TokenStatus): string {
  const stored = storedTokens(status);
  const how = status.vault.format === 'v1:safe' ? 'the system keychain (desktop app)' : status.vault.format === 'v1:gcm' ? 'a passphrase' : null;
  const lines = [
    how ? `Vault: encrypted with ${how}${status.vault.locked ? ', locked' : ''}.` : 'Vault: none yet (no token stored).',
    `Stored: ${stored.length ? stored.join('; ') : 'nothing'}.`,
    ...status.vault.notices,
  ];
  return lines.join('\n');
}

export async function runVaultStatus(cli: VaultCli, json: boolean, print = console.log): Promise<number> {
  const session = await openSession({ dataDir: cli.dataDir, mode: cli.mode ?? 'sandbox', resume: false });
  try {
    const status = await session.api.call('tokens:status', {});
    print(json ? JSON.stringify(status) : describeVault(status));
    return 0;
  } finally {
    await session.close();
  }
}

/**
 * Without --confirm it only says what would be lost and how to go on (exit 1, nothing deleted). The
 * phrase itself is checked by the contract, which refuses anything else with `invalid_input`.
 */
export async function runVaultReset(cli: VaultCli, confirm: string | undefined, print = console.log, printErr = console.error): Promise<number> {
  // Sandbox unless asked: a reset needs no cloud, and live mode cannot start with the very vault being reset.
  const session = await openSession({ dataDir: cli.dataDir, mode: cli.mode ?? 'sandbox', resume: false });
  try {
    const before = await session.api.call('tokens:status', {});
    const lost = storedTokens(before);
    const loss = lost.length
      ? `This deletes ${lost.join(' and ')} for good; you will have to enter them again. VMs, jobs and settings are kept.`
      : 'The vault holds no token; a reset deletes only its file (and its passphrase).';
    if (confirm === undefined) {
      printErr(`${describeVault(before)}\n\n${loss}\nTo go on: outpost vault reset --confirm "${VAULT_RESET_PHRASE}"`);
      return 1;
    }
    // Whatever was typed goes to the contract as is: it, not this command, decides what counts as confirmed.
    await session.api.call('tokens:reset', { confirm: confirm as typeof VAULT_RESET_PHRASE });
    print(lost.length ? `Vault reset: deleted ${lost.join(' and ')}. Store new tokens in Settings → Tokens (or with OUTPOST_* variables).` : 'Vault reset: there was no token to delete.');
    return 0;
  } finally {
    await session.close();
  }
}

export function addVaultCommand(program: Command, cli: () => VaultCli, exit: (code: number) => void): void {
  const vault = program.command('vault').description('the token vault: what it holds, and how to start over when its passphrase is lost');
  vault
    .command('status')
    .description('how the vault is encrypted, whether it is locked, and which tokens it holds (never their values)')
    .option('--json', 'JSON output', false)
    .action(async (opts: { json: boolean }) => exit(await runVaultStatus(cli(), opts.json)));
  vault
    .command('reset')
    .description(`delete every stored token without the passphrase (it cannot be recovered); asks for --confirm "${VAULT_RESET_PHRASE}"`)
    .option('--confirm <phrase>', `type "${VAULT_RESET_PHRASE}" to confirm`)
    .action(async (opts: { confirm?: string }) => exit(await runVaultReset(cli(), opts.confirm)));
}
