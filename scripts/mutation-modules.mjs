// The modules under mutation testing and the files that make each: where a silent bug costs money or
// leaks a secret. stryker.config.mjs mutates exactly these; render-mutation.mjs scores them per module.
export const MUTATION_MODULES = [
  { module: 'permission guard', files: ['shared/permissions.ts', 'electron/core/services/guard.ts', 'electron/core/services/audit-detail.ts'] },
  { module: 'vault', files: ['electron/core/vault/*.ts'] },
  { module: 'cloud-init renderer and validator', files: ['electron/core/cloudinit/*.ts'] },
  { module: 'compensation and cleanup', files: ['electron/core/provisioning/compensate.ts', 'electron/core/provisioning/cleanup.ts'] },
  { module: 'ensureServer (servers.ts)', files: ['electron/core/hetzner/servers.ts'] },
  { module: 'payments recording', files: ['electron/core/payments/record.ts'] },
];

/** True when `file` (repository-relative, forward slashes) is one of `patterns` (a path, or `dir/*.ts`). */
export function matches(file, patterns) {
  return patterns.some((p) => (p.endsWith('/*.ts') ? file.startsWith(p.slice(0, -4)) && file.endsWith('.ts') && !file.slice(p.length - 4).includes('/') : file === p));
}
