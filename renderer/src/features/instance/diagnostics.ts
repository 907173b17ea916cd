// "Copy diagnostics": the instance's whole history as JSON for a bug report. The backend never
// sends a secret; this still drops any value under a secret-looking key, as a second belt.
import type { AppInfo, InstanceDetail } from '../../../../shared/domain';

const SECRET_KEY = /secret|token|password|passphrase|private|authkey|auth_key|^key$|user_?data/i;

export function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEY.test(k) ? '[redacted]' : redact(v)]));
  }
  if (typeof value === 'string' && /tskey-|hcloud_|-----BEGIN/.test(value)) return '[redacted]';
  return value;
}

export function diagnostics(detail: InstanceDetail, info: AppInfo | undefined, now = new Date()): string {
  const report = {
    generatedAt: now.toISOString(),
    app: info ? { version: info.version, mode: info.mode, role: info.role, transport: info.transport } : null,
    instance: detail.instance,
    jobs: detail.jobs.map((j) => ({ job: j.job, events: j.events })),
  };
  return JSON.stringify(redact(report), null, 2);
}
