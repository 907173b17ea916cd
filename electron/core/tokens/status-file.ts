// `tokens-status.json` next to the vault: the last check per provider, so that a restart shows
// "valid, checked 10:42" instead of a bare "stored". Nothing secret in it: states, times, messages
// (already scrubbed) and capabilities. `forUpdatedAt` ties a result to the stored value it checked
// (the vault's non-secret updatedAt), so a value replaced elsewhere shows as unchecked.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../vault/atomic-file';
import { ProviderTokenStatusSchema, type TokenProvider } from './status';

export const STATUS_FILE = 'tokens-status.json';

const RememberedSchema = ProviderTokenStatusSchema.extend({ forUpdatedAt: z.string() });
export type RememberedCheck = z.infer<typeof RememberedSchema>;

const FileSchema = z.object({
  version: z.literal(1),
  hetzner: RememberedSchema.optional(),
  tailscale: RememberedSchema.optional(),
});
export type RememberedChecks = Partial<Record<TokenProvider, RememberedCheck>>;

export const statusFilePath = (dir: string): string => join(dir, STATUS_FILE);

/** A missing or unreadable file is just "nothing remembered": it is a cache, not a record. */
export function readStatusFile(path: string): RememberedChecks {
  try {
    const parsed = FileSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    if (!parsed.success) return {};
    const { version: _version, ...checks } = parsed.data;
    return checks;
  } catch {
    return {};
  }
}

export function writeStatusFile(path: string, checks: RememberedChecks): void {
  writeFileAtomic(path, Buffer.from(`${JSON.stringify({ version: 1, ...checks }, null, 2)}\n`, 'utf8'));
}
