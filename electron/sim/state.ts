import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Rng, deriveSeed } from './clock';
import type { SandboxCredentials, SimState } from './model';

export const DEFAULT_TAILSCALE_TAGS = ['tag:outpost'];

export function generateCredentials(seed: number): SandboxCredentials {
  const rng = new Rng(deriveSeed(seed, 'credentials'));
  // 64 characters like a real Hetzner token (the CLI's context check insists on that length), but
  // marked as sandbox ones so that nobody mistakes them for live secrets.
  const hetzner = (mark: string) => `sandbox${mark}${rng.alnum(64 - 7 - mark.length)}`;
  const clientId = `k${rng.alnum(9)}CNTRL`;
  return {
    hetznerToken: hetzner('RW'),
    hetznerReadOnlyToken: hetzner('RO'),
    tailscaleClientId: clientId,
    tailscaleClientSecret: `tskey-client-${clientId}-sandbox${rng.alnum(26)}`,
    tailscaleTags: [...DEFAULT_TAILSCALE_TAGS],
  };
}

export function freshState(seed: number, credentials: SandboxCredentials): SimState {
  const rng = new Rng(deriveSeed(seed, 'tailnet'));
  const tailnetHex = rng.hex(6);
  const firstServer = 4_294_967_296 + rng.int(100_000, 9_000_000);
  const firstAction = 606_028_482_000_000 + rng.int(0, 600_000_000);
  return {
    version: 1,
    seed,
    credentials,
    tailnet: { id: `T${rng.alnum(8)}CNTRL`, dnsName: `tail${tailnetHex}.ts.net` },
    counters: { server: firstServer, action: firstAction, ip: 0, sshKey: 11_000_000 + rng.int(0, 99_999), device: 0 },
    rng: {},
    servers: [],
    actions: [],
    sshKeys: [],
    keys: [],
    devices: [],
    tokens: [],
    events: [],
  };
}

export function loadState(file: string): SimState | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<SimState>;
  if (parsed.version !== 1 || !parsed.credentials || !Array.isArray(parsed.servers)) {
    throw new Error(`${file} is not a simulator state file (version 1)`);
  }
  return parsed as SimState;
}

/**
 * Debounced, atomic persistence: a burst of mutations costs one write, and a crash mid-write leaves
 * the previous complete file (temp file + rename on the same filesystem).
 */
export class StatePersister {
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => SimState,
    private readonly debounceMs = 100,
  ) {
    mkdirSync(dirname(file), { recursive: true });
  }

  markDirty(): void {
    this.dirty = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      // A background write that fails (the directory removed, a full disk) must not take the process
      // down with an uncaught exception: the state stays dirty and the next change or close() tries again.
      try {
        this.flush();
      } catch (err) {
        this.dirty = true;
        process.emitWarning(`simulator state not saved to ${this.file}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }, this.debounceMs);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (!this.dirty) return;
    this.dirty = false;
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.snapshot()), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}
