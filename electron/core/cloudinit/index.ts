export {
  renderUserData,
  buildCloudConfig,
  tailscaleUpArgv,
  MAX_USER_DATA_BYTES,
  DEFAULT_JOIN_TIMEOUT_SECONDS,
  HETZNER_NTP_SERVERS,
  CLOUD_CONFIG_HEADER,
  type UserDataInput,
  type RenderedUserData,
} from './userData';
export { redactUserData } from './redactUserData';
export { ALLOWED_TOP_LEVEL_KEYS, unknownTopLevelKeys } from './topLevelKeys';
export { AUTH_KEY_FILE, RUN_DIR } from './paths';
export { isOpenSshPublicKey, sshKeyProblem, SSH_KEY_TYPES } from './validate';
