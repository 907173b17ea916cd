// The only shell the user-data contains. These texts are constants: no input value is ever
// interpolated into them (values reach commands as argv items in runcmd instead).
import { RUN_DIR } from './paths';

/** Upper bound on waiting for NTP before TLS, in seconds (cloud-init.md §3.2). */
export const CLOCK_WAIT_SECONDS = 180;

// timedatectl's NTPSynchronized is the kernel's sync flag, which both timesyncd and chrony set;
// time-sync.target alone is not enough with timesyncd (systemd#5097). On timeout the join still
// goes ahead, as the reference does: Hetzner clocks are usually right and failing here helps nobody.
export const WAIT_CLOCK_SH = `#!/bin/sh
# Outpost: TLS fails or tailscale up hangs on a wrong clock, so wait for NTP first.
timedatectl set-ntp true 2>/dev/null || true
i=0
until [ "$(timedatectl show -p NTPSynchronized --value 2>/dev/null || true)" = "yes" ]; do
  i=$((i + 1))
  if [ "$i" -ge ${CLOCK_WAIT_SECONDS} ]; then
    echo "outpost: clock not synchronised after ${CLOCK_WAIT_SECONDS} s, continuing" >&2
    exit 0
  fi
  sleep 1
done
`;

// Download first and run second: with "curl | sh" a failed download still exits 0 in dash.
// curl is installed here rather than via the packages module so that no apt run precedes the clock wait.
export const INSTALL_TAILSCALE_SH = `#!/bin/sh
# Outpost: install Tailscale with the official script (apt repo pkgs.tailscale.com), then start it.
set -eu
if ! command -v curl >/dev/null 2>&1; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y curl ca-certificates
fi
n=0
until curl -fsSL --retry 3 -o ${RUN_DIR}/tailscale-install.sh https://tailscale.com/install.sh \\
    && sh ${RUN_DIR}/tailscale-install.sh && command -v tailscale >/dev/null 2>&1; do
  n=$((n + 1))
  if [ "$n" -ge 5 ]; then
    echo "outpost: tailscale install failed" >&2
    exit 1
  fi
  sleep 10
done
systemctl enable --now tailscaled
`;
