// The e2e suite needs Debian's Chromium. Missing is a failure with the fix, never a silent skip.
import { existsSync } from 'node:fs';

const chromium = process.env.OUTPOST_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(
    `e2e: ${chromium} is missing. Install Debian's chromium package (sudo apt-get install -y chromium), ` +
      'or set OUTPOST_CHROMIUM to a Chromium binary. The e2e tests do not skip.',
  );
  process.exit(1);
}
