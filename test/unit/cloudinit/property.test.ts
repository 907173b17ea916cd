import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AUTH_KEY_FILE, MAX_USER_DATA_BYTES, redactUserData, renderUserData } from '../../../electron/core/cloudinit';
import { readLikePyYaml } from '../../../electron/core/cloudinit/pyyaml';
import { validInput } from './fixtures';

interface Doc {
  hostname: unknown;
  ssh_authorized_keys?: unknown;
  write_files: { path: string; content?: string }[];
  runcmd: string[][];
}

describe('renderUserData: properties', () => {
  // 300 renders, each serialised and read back twice: well past vitest's 5 s default on a shared machine.
  it('round-trips every value through YAML 1.1 as PyYAML reads it and keeps the key in its file only', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const { text, bytes } = renderUserData(input);
        expect(bytes).toBeLessThanOrEqual(MAX_USER_DATA_BYTES);
        expect(text.startsWith('#cloud-config\n')).toBe(true);

        const doc = readLikePyYaml(text) as Doc;
        expect(doc.hostname).toBe(input.hostname);
        const keys = input.sshAuthorizedKeys.map((k) => k.trim());
        if (keys.length === 0) expect(doc.ssh_authorized_keys).toBeUndefined();
        else expect(doc.ssh_authorized_keys).toEqual(keys);

        const up = doc.runcmd.find((a) => a[0] === 'tailscale' && a[1] === 'up');
        expect(up).toEqual([
          'tailscale',
          'up',
          `--auth-key=file:${AUTH_KEY_FILE}`,
          `--hostname=${input.hostname}`,
          `--advertise-tags=${[...new Set(input.tags)].join(',')}`,
          `--timeout=${input.joinTimeoutSeconds ?? 300}s`,
        ]);

        // Exactly one occurrence in the text, and it is the content of the key file.
        expect(text.split(input.authKey)).toHaveLength(2);
        const holders = doc.write_files.filter((f) => f.content?.includes(input.authKey));
        expect(holders).toEqual([expect.objectContaining({ path: AUTH_KEY_FILE, content: input.authKey })]);
        const { write_files: _files, ...rest } = doc;
        expect(JSON.stringify(rest)).not.toContain(input.authKey);
        expect(redactUserData(text)).not.toContain(input.authKey);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});
