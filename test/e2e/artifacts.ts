import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** Screenshots and traces from e2e runs; CI keeps the folder. */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../test-artifacts/e2e', import.meta.url));

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}
