// `cloud-init schema` does not flag unknown top-level keys (a typo such as `runcmds:` passes and
// is then silently ignored on the VM), so the builder checks its own keys against this list.
// Every entry must be a top-level property of the official schema (a unit test checks that).
export const ALLOWED_TOP_LEVEL_KEYS = [
  'hostname',
  'preserve_hostname',
  'ssh_authorized_keys',
  'ntp',
  'bootcmd',
  'write_files',
  'runcmd',
] as const;

export function unknownTopLevelKeys(doc: Record<string, unknown>): string[] {
  const allowed: readonly string[] = ALLOWED_TOP_LEVEL_KEYS;
  return Object.keys(doc).filter((key) => !allowed.includes(key));
}
