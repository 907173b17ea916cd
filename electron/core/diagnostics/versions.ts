// What a support person asks first: which Outpost, on which runtime, on which system.
import { arch, platform, release, type as osType } from 'node:os';

export interface DiagnosticVersions {
  app: string;
  /** null outside Electron (the command, browser mode). */
  electron: string | null;
  chromium: string | null;
  node: string;
  v8: string;
  os: { type: string; platform: string; release: string; arch: string };
}

export function collectVersions(appVersion: string, versions: NodeJS.ProcessVersions = process.versions): DiagnosticVersions {
  return {
    app: appVersion,
    electron: versions.electron ?? null,
    chromium: versions.chrome ?? null,
    node: versions.node,
    v8: versions.v8,
    os: { type: osType(), platform: platform(), release: release(), arch: arch() },
  };
}
