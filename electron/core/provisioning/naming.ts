// Names and labels the clouds accept. Hetzner server names are RFC 1123 hostnames and double as the
// Tailscale `--hostname`, which the enrollment watcher matches exactly; label values follow
// Hetzner's label rules (reference §8).
import { createHash, randomBytes } from 'node:crypto';

const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$/;
export const HOSTNAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export const isLabelValue = (value: string): boolean => LABEL_VALUE.test(value);

/**
 * A label value for any text. Text that is already valid is kept; anything else is rewritten and
 * gets a short hash of the original, so two references that rewrite alike still differ.
 */
export function labelValue(text: string): string {
  if (isLabelValue(text)) return text;
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 8);
  const core = text
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 63 - hash.length - 1)
    .replace(/[^A-Za-z0-9]+$/, '');
  return core ? `${core}-${hash}` : hash;
}

/** `Build Bot #2` → `build-bot-2`; never empty, at most `max` characters. */
export function slug(text: string, max = 40): string {
  const s = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/, '');
  return s || 'agent';
}

/** A fresh VM name: the agent's slug plus a random suffix, so re-provisioning never collides. */
export const vmName = (agentName: string): string => `${slug(agentName)}-${randomBytes(3).toString('hex')}`;
