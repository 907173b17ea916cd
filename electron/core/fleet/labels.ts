// The `outpost.*` labels: the shared ledger every desktop reads (README "One fleet, many desktops").
// A server carries what a fleet row needs and nothing secret: managed, job, agent, payment reference,
// plan, the creating store's id, and the customer's name only when the setting allows it. Every
// value is valid under Hetzner's label rules (≤ 63 characters of [A-Za-z0-9._-], alphanumeric at
// both ends; reference §8) whatever the input.
import type { Server } from '../hetzner/types';
import { labelValue } from '../provisioning/naming';

export const LABEL = {
  managed: 'outpost.managed',
  job: 'outpost.job',
  agent: 'outpost.agent',
  payment: 'outpost.payment',
  plan: 'outpost.plan',
  store: 'outpost.store',
  customer: 'outpost.customer',
} as const;

export const MANAGED_SELECTOR = `${LABEL.managed}=true`;

export interface LabelInput {
  jobId: string;
  storeId: string;
  agentName: string;
  /** The server type asked (or paid) for. */
  plan: string;
  paymentReference: string | null;
  /** Only when the operator allowed customer names on servers (setting labelCustomerNames). */
  customer: string | null;
}

export function serverLabels(input: LabelInput): Record<string, string> {
  const labels: Record<string, string> = {
    [LABEL.managed]: 'true',
    [LABEL.job]: labelValue(input.jobId),
    [LABEL.store]: labelValue(input.storeId),
    [LABEL.agent]: encodeLabelText(input.agentName),
    [LABEL.plan]: labelValue(input.plan),
  };
  // The payment label is also the cross-desktop exactly-once key (provision.ts): its form never changes.
  if (input.paymentReference !== null) labels[LABEL.payment] = labelValue(input.paymentReference);
  if (input.customer) labels[LABEL.customer] = encodeLabelText(input.customer);
  return labels;
}

/** The selector that finds the server provisioned for a payment reference. */
export const paymentSelector = (reference: string): string => `${LABEL.payment}=${labelValue(reference)}`;

/** What a server's labels say, decoded for a fleet row; null for what they do not say. */
export interface ServerLedger {
  jobId: string | null;
  storeId: string | null;
  agentName: string | null;
  customer: string | null;
  paymentReference: string | null;
  plan: string | null;
}

export function readLedger(labels: Record<string, string>): ServerLedger {
  const text = (key: string) => (labels[key] ? decodeLabelText(labels[key]) : null);
  return {
    jobId: labels[LABEL.job] || null,
    storeId: labels[LABEL.store] || null,
    agentName: text(LABEL.agent),
    customer: text(LABEL.customer),
    paymentReference: labels[LABEL.payment] || null,
    plan: labels[LABEL.plan] || null,
  };
}

export const isManaged = (server: Pick<Server, 'labels'>): boolean => server.labels[LABEL.managed] === 'true';

// Free text (agent and customer names) is encoded reversibly, so another desktop shows the name as
// typed: letters and digits stay, a space becomes `_`, `.` and `-` stay inside the value, and every
// other character (Z included, the escape) becomes `Z` and its UTF-8 bytes in hex (`Z` → `Z5A`,
// `ü` → `ZC3ZBC`). An escape starts with a letter and ends with a hex digit, so the value always
// starts and ends alphanumeric. Too long a name is cut at a character and ends in an encoded `…`.
const PLAIN = /^[A-Ya-z0-9]$/;
const MAX = 63;
const ELLIPSIS = escapeChar('…');

function escapeChar(ch: string): string {
  return [...Buffer.from(ch, 'utf8')].map((b) => `Z${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

function encodeChar(ch: string, first: boolean, last: boolean): string {
  if (PLAIN.test(ch)) return ch;
  if (!first && !last && (ch === '.' || ch === '-')) return ch;
  if (!first && !last && ch === ' ') return '_';
  return escapeChar(ch);
}

export function encodeLabelText(text: string): string {
  const chars = [...text];
  const encode = (n: number, cut: boolean) =>
    chars
      .slice(0, n)
      .map((ch, i) => encodeChar(ch, i === 0, !cut && i === n - 1))
      .join('') + (cut ? ELLIPSIS : '');
  const whole = encode(chars.length, false);
  if (whole.length <= MAX) return whole;
  let n = chars.length - 1;
  while (n > 0 && encode(n, true).length > MAX) n--;
  return encode(n, true);
}

/** The text an encoded value stands for; a value that is not such an encoding is shown as it is. */
export function decodeLabelText(value: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === 'Z') {
      const hex = value.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(hex)) return value;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(ch === '_' ? ' ' : ch, 'utf8'));
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return value;
  }
}
