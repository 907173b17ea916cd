// Builds the cloud-init user-data of an agent VM as data and serialises it with `yaml`
// (DESIGN.md §3 step 3, reference/cloud-init.md). Order on the VM:
//   init stage:   bootcmd makes /run/outpost 0700, write_files drops the key and two fixed scripts,
//                 set_hostname applies the hostname, ssh installs the operator keys;
//   config stage: the ntp module points the clock at Hetzner's servers;
//   final stage:  runcmd waits for NTP, installs Tailscale, runs `tailscale up`, removes the key.
import { Document, type YAMLSeq } from 'yaml';
import { OutpostError } from '../../../shared/errors';
import { AUTH_KEY_FILE, INSTALL_TAILSCALE_SCRIPT, RUN_DIR, WAIT_CLOCK_SCRIPT } from './paths';
import { INSTALL_TAILSCALE_SH, WAIT_CLOCK_SH } from './scripts';
import { unknownTopLevelKeys } from './topLevelKeys';
import { checkAuthKey, checkHostname, checkJoinTimeout, checkSshKeys, checkTags } from './validate';

/** Hetzner refuses larger user_data ("Length must be between 0 and 32768"). */
export const MAX_USER_DATA_BYTES = 32_768;
export const DEFAULT_JOIN_TIMEOUT_SECONDS = 300;
export const HETZNER_NTP_SERVERS: readonly string[] = ['ntp1.hetzner.de', 'ntp2.hetzner.com', 'ntp3.hetzner.net'];
export const CLOUD_CONFIG_HEADER = '#cloud-config\n';

export interface UserDataInput {
  /** RFC 1123 label, [a-z0-9-], ≤ 63: used for the OS and as `tailscale up --hostname`. */
  hostname: string;
  /** The tskey-auth-… secret. It exists only in memory and in the returned text. */
  authKey: string;
  /** The tags the key was minted with, each `tag:` + a letter + letters, digits or dashes. */
  tags: readonly string[];
  /** OpenSSH public keys of the operators (may be empty). */
  sshAuthorizedKeys: readonly string[];
  /** Bound on `tailscale up` (its default, 0, waits forever). */
  joinTimeoutSeconds?: number;
}

export interface RenderedUserData {
  /** `#cloud-config` + YAML: what goes into Hetzner's `user_data`. Contains the auth key. */
  text: string;
  /** UTF-8 length of `text`. */
  bytes: number;
}

export function tailscaleUpArgv(hostname: string, tags: readonly string[], timeoutSeconds: number): string[] {
  return [
    'tailscale',
    'up',
    `--auth-key=file:${AUTH_KEY_FILE}`,
    `--hostname=${hostname}`,
    `--advertise-tags=${tags.join(',')}`,
    `--timeout=${timeoutSeconds}s`,
  ];
}

export function buildCloudConfig(input: UserDataInput): Record<string, unknown> {
  const hostname = checkHostname(input.hostname);
  const authKey = checkAuthKey(input.authKey);
  const tags = checkTags(input.tags);
  const sshKeys = checkSshKeys(input.sshAuthorizedKeys);
  const timeout = checkJoinTimeout(input.joinTimeoutSeconds ?? DEFAULT_JOIN_TIMEOUT_SECONDS);

  const config: Record<string, unknown> = {
    hostname,
    preserve_hostname: false,
  };
  // The schema wants at least one item when the key is present.
  if (sshKeys.length > 0) config.ssh_authorized_keys = sshKeys;
  config.ntp = { enabled: true, servers: [...HETZNER_NTP_SERVERS] };
  // write_files creates the file world-readable and chmods it afterwards; a 0700 directory made
  // earlier in the same stage closes that window.
  config.bootcmd = [['install', '-d', '-m', '0700', '-o', 'root', '-g', 'root', RUN_DIR]];
  config.write_files = [
    // `permissions` must be a quoted string: unquoted 0600 is the integer 384 and fails the schema.
    { path: AUTH_KEY_FILE, owner: 'root:root', permissions: '0600', content: authKey },
    { path: WAIT_CLOCK_SCRIPT, owner: 'root:root', permissions: '0700', content: WAIT_CLOCK_SH },
    { path: INSTALL_TAILSCALE_SCRIPT, owner: 'root:root', permissions: '0700', content: INSTALL_TAILSCALE_SH },
  ];
  // runcmd becomes one /bin/sh script without `set -e`: a failed item does not stop the next one,
  // which is what makes the final removal of the key run whatever happened before it.
  config.runcmd = [
    ['sh', WAIT_CLOCK_SCRIPT],
    ['sh', INSTALL_TAILSCALE_SCRIPT],
    tailscaleUpArgv(hostname, tags, timeout),
    ['rm', '-f', AUTH_KEY_FILE],
  ];
  return config;
}

export function renderUserData(input: UserDataInput): RenderedUserData {
  const config = buildCloudConfig(input);
  const unknown = unknownTopLevelKeys(config);
  if (unknown.length > 0) {
    throw new OutpostError('internal', `user-data uses keys outside the allow-list: ${unknown.join(', ')}`);
  }

  // cloud-init reads YAML 1.1 (PyYAML): with the 1.1 schema the serialiser quotes strings such as
  // "no", "on" or "0x1f" (all valid hostnames) that 1.1 would turn into booleans or numbers.
  const doc = new Document(config, { version: '1.1' });
  for (const item of (doc.get('runcmd', true) as YAMLSeq).items) (item as YAMLSeq).flow = true;
  for (const item of (doc.get('bootcmd', true) as YAMLSeq).items) (item as YAMLSeq).flow = true;
  const text = CLOUD_CONFIG_HEADER + doc.toString({ lineWidth: 0 });

  // The key belongs in the key file only; a tag or SSH comment that happened to contain it would
  // put it on a command line or in authorized_keys.
  if (text.split(input.authKey).length !== 2) {
    throw new OutpostError('invalid_input', 'the auth key appears outside its key file', {
      hint: 'No tag, hostname or SSH key comment may contain the auth key.',
      step: 'render_user_data',
    });
  }

  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_USER_DATA_BYTES) {
    throw new OutpostError('invalid_input', `user-data is ${bytes} bytes; Hetzner accepts at most ${MAX_USER_DATA_BYTES}`, {
      hint: 'Configure fewer or shorter operator SSH keys (an ed25519 key is about 100 bytes).',
      step: 'render_user_data',
    });
  }
  return { text, bytes };
}
