// Builds the cloud-init user-data of an agent VM as data and serialises it with `yaml`
// (DESIGN.md §3 step 3, reference/cloud-init.md). Order on the VM:
//   init stage:   bootcmd makes /run/outpost 0700, write_files drops the key and two fixed scripts,
//                 set_hostname applies the hostname, ssh installs the operator keys;
//   config stage: the ntp module points the clock at Hetzner's servers;
//   final stage:  runcmd waits for NTP, installs Tailscale, runs `tailscale up`, removes the key.
// Two independent defences keep operator text from becoming cloud-config: every value passes its
// allow-list (validate.ts), and the rendered text is read back as PyYAML would and must equal the
// object meant (readBack.ts). The agent's display name never reaches user-data: the VM name is a
// slug of it (provisioning/naming.ts), and the hostname check applies to that.
import { Document, type YAMLSeq } from 'yaml';
import { OutpostError } from '../../../shared/errors';
import { AUTH_KEY_FILE, INSTALL_TAILSCALE_SCRIPT, RUN_DIR, WAIT_CLOCK_SCRIPT } from './paths';
import { INSTALL_TAILSCALE_SH, WAIT_CLOCK_SH } from './scripts';
import { formatPath, type Path } from './pyyaml';
import { readBackDivergence, type Divergence } from './readBack';
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

/** Values that passed the allow-lists (or, in tests of the read-back, deliberately did not). */
export interface UserDataValues {
  hostname: string;
  authKey: string;
  tags: readonly string[];
  sshKeys: readonly string[];
  joinTimeoutSeconds: number;
}

export function checkUserDataInput(input: UserDataInput): UserDataValues {
  return {
    hostname: checkHostname(input.hostname),
    authKey: checkAuthKey(input.authKey),
    tags: checkTags(input.tags),
    sshKeys: checkSshKeys(input.sshAuthorizedKeys),
    joinTimeoutSeconds: checkJoinTimeout(input.joinTimeoutSeconds ?? DEFAULT_JOIN_TIMEOUT_SECONDS),
  };
}

/** The cloud-config object for values as given: no checks here (renderValues re-reads the text). */
export function assembleCloudConfig(values: UserDataValues): Record<string, unknown> {
  const config: Record<string, unknown> = {
    hostname: values.hostname,
    preserve_hostname: false,
  };
  // The schema wants at least one item when the key is present.
  if (values.sshKeys.length > 0) config.ssh_authorized_keys = [...values.sshKeys];
  config.ntp = { enabled: true, servers: [...HETZNER_NTP_SERVERS] };
  // write_files creates the file world-readable and chmods it afterwards; a 0700 directory made
  // earlier in the same stage closes that window.
  config.bootcmd = [['install', '-d', '-m', '0700', '-o', 'root', '-g', 'root', RUN_DIR]];
  config.write_files = [
    // `permissions` must be a quoted string: unquoted 0600 is the integer 384 and fails the schema.
    { path: AUTH_KEY_FILE, owner: 'root:root', permissions: '0600', content: values.authKey },
    { path: WAIT_CLOCK_SCRIPT, owner: 'root:root', permissions: '0700', content: WAIT_CLOCK_SH },
    { path: INSTALL_TAILSCALE_SCRIPT, owner: 'root:root', permissions: '0700', content: INSTALL_TAILSCALE_SH },
  ];
  // runcmd becomes one /bin/sh script without `set -e`: a failed item does not stop the next one,
  // which is what makes the final removal of the key run whatever happened before it.
  config.runcmd = [
    ['sh', WAIT_CLOCK_SCRIPT],
    ['sh', INSTALL_TAILSCALE_SCRIPT],
    tailscaleUpArgv(values.hostname, values.tags, values.joinTimeoutSeconds),
    ['rm', '-f', AUTH_KEY_FILE],
  ];
  return config;
}

export function buildCloudConfig(input: UserDataInput): Record<string, unknown> {
  return assembleCloudConfig(checkUserDataInput(input));
}

export function serializeCloudConfig(config: Record<string, unknown>): string {
  // cloud-init reads YAML 1.1 (PyYAML): with the 1.1 schema the serialiser quotes strings such as
  // "no", "on" or "0x1f" (all valid hostnames) that 1.1 would turn into booleans or numbers.
  const doc = new Document(config, { version: '1.1' });
  for (const item of (doc.get('runcmd', true) as YAMLSeq).items) (item as YAMLSeq).flow = true;
  for (const item of (doc.get('bootcmd', true) as YAMLSeq).items) (item as YAMLSeq).flow = true;
  return CLOUD_CONFIG_HEADER + doc.toString({ lineWidth: 0 });
}

const TAILSCALE_UP_INDEX = 2;
const AUTH_KEY_FILE_INDEX = 0;

/** The input field a cloud-config path carries, or null for the renderer's own constants. */
export function fieldOfPath(path: Path): string | null {
  const [top, i, j] = path;
  if (top === 'hostname') return 'hostname';
  if (top === 'ssh_authorized_keys') return typeof i === 'number' ? `sshAuthorizedKeys[${i}]` : 'sshAuthorizedKeys';
  if (top === 'write_files' && i === AUTH_KEY_FILE_INDEX && j === 'content') return 'authKey';
  if (top === 'runcmd' && i === TAILSCALE_UP_INDEX) {
    if (j === 3) return 'hostname';
    if (j === 4) return 'tags';
    if (j === 5) return 'joinTimeoutSeconds';
  }
  return null;
}

// Stand-ins that read back unchanged, used to try one field at a time in its real place.
const PLACEHOLDER: UserDataValues = { hostname: 'x', authKey: 'tskey-auth-x', tags: ['tag:x'], sshKeys: [], joinTimeoutSeconds: 60 };

/** When the text did not parse at all: the first field whose value alone breaks it. */
function isolateField(values: UserDataValues): string | null {
  const tries: [string, UserDataValues][] = [
    ['hostname', { ...PLACEHOLDER, hostname: values.hostname }],
    ['tags', { ...PLACEHOLDER, tags: values.tags }],
    ...values.sshKeys.map((key, i): [string, UserDataValues] => [
      `sshAuthorizedKeys[${i}]`,
      { ...PLACEHOLDER, sshKeys: values.sshKeys.map((k, n) => (n === i ? key : 'x')) },
    ]),
    ['authKey', { ...PLACEHOLDER, authKey: values.authKey }],
  ];
  for (const [field, trial] of tries) {
    const config = assembleCloudConfig(trial);
    if (readBackDivergence(serializeCloudConfig(config), config)) return field;
  }
  return null;
}

function divergenceError(values: UserDataValues, divergence: Divergence): OutpostError {
  const field = (divergence.path && fieldOfPath(divergence.path)) ?? isolateField(values);
  const where = divergence.path ? ` at ${formatPath(divergence.path)}` : '';
  // The reason names paths and, at most, keys that a value spawned; never the auth key.
  const reason = divergence.reason.split(values.authKey).join('[auth key]');
  if (field === null) {
    return new OutpostError('internal', `user-data does not read back as written${where}; nothing was sent`, { step: 'render_user_data' });
  }
  return new OutpostError('invalid_input', `${field}: user-data would not read back as written (${reason}); nothing was sent`, {
    hint: `Check ${field} for line breaks or other special characters: cloud-init would have read it as something else.`,
    step: 'render_user_data',
  });
}

/** Serialises values as given and refuses any text that cloud-init would read differently. */
export function renderValues(values: UserDataValues): RenderedUserData {
  const config = assembleCloudConfig(values);
  const unknown = unknownTopLevelKeys(config);
  if (unknown.length > 0) {
    throw new OutpostError('internal', `user-data uses keys outside the allow-list: ${unknown.join(', ')}`);
  }
  const text = serializeCloudConfig(config);

  // The parsed document equals `config`, so its top-level keys are the ones just checked.
  const divergence = readBackDivergence(text, config);
  if (divergence) throw divergenceError(values, divergence);

  // The key belongs in the key file only; a tag or SSH comment that happened to contain it would
  // put it on a command line or in authorized_keys.
  if (text.split(values.authKey).length !== 2) {
    const holder = [
      ['hostname', values.hostname] as const,
      ...values.tags.map((t) => ['tags', t] as const),
      ...values.sshKeys.map((k, i) => [`sshAuthorizedKeys[${i}]`, k] as const),
    ].find(([, value]) => value.includes(values.authKey))?.[0];
    throw new OutpostError(
      'invalid_input',
      holder ? `${holder}: contains the auth key, which belongs in its key file only` : 'authKey: is not written verbatim, exactly once',
      { hint: 'No tag, hostname or SSH key comment may contain the auth key.', step: 'render_user_data' },
    );
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

export function renderUserData(input: UserDataInput): RenderedUserData {
  return renderValues(checkUserDataInput(input));
}
