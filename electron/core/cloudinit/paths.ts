// Everything the VM-side steps touch lives under /run: a tmpfs, so the auth key and the helper
// scripts are gone after any reboot even if a step never reached its cleanup.
export const RUN_DIR = '/run/outpost';
export const AUTH_KEY_FILE = `${RUN_DIR}/ts-authkey`;
export const WAIT_CLOCK_SCRIPT = `${RUN_DIR}/wait-clock.sh`;
export const INSTALL_TAILSCALE_SCRIPT = `${RUN_DIR}/install-tailscale.sh`;
