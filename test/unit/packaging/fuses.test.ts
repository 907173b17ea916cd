// Issue 17 item 2: the fuses electron-builder flips in the packaged Electron binary. The expected
// values are written out here on purpose: changing one in electron-builder.yml fails this test, so
// loosening a fuse is a visible decision in two files, not a one-line slip.
import { FuseV1Options } from '@electron/fuses';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadBuilderConfig } from './builder-config';

const require = createRequire(import.meta.url);

/** electron-builder's own translation of `electronFuses` into @electron/fuses wire positions. */
async function fusesElectronBuilderFlips(electronFuses: unknown): Promise<Record<string, unknown>> {
  const { PlatformPackager } = require('app-builder-lib') as {
    PlatformPackager: { prototype: { generateFuseConfig(this: unknown, fuses: unknown): Promise<Record<string, unknown>> } };
  };
  return PlatformPackager.prototype.generateFuseConfig.call({}, electronFuses);
}

const EXPECTED: Record<number, boolean> = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

describe('electron fuses (electron-builder.yml)', () => {
  // Loading app-builder-lib takes seconds on a busy machine.
  it('flips exactly the seven locked-down fuses, each to its secure value', { timeout: 30_000 }, async () => {
    const config = loadBuilderConfig();
    const flipped = await fusesElectronBuilderFlips(config.electronFuses);
    // `version` and `resetAdHocDarwinSignature` are bookkeeping, not fuses.
    const { version, resetAdHocDarwinSignature, ...wires } = flipped;
    expect(version).toBeDefined();
    expect(resetAdHocDarwinSignature).toBeUndefined();
    expect(wires).toEqual(EXPECTED);
  });

  it('names only options electron-builder knows (a misspelt key would silently flip nothing)', () => {
    const known = [
      'runAsNode',
      'enableCookieEncryption',
      'enableNodeOptionsEnvironmentVariable',
      'enableNodeCliInspectArguments',
      'enableEmbeddedAsarIntegrityValidation',
      'onlyLoadAppFromAsar',
      'grantFileProtocolExtraPrivileges',
    ];
    expect(Object.keys(loadBuilderConfig().electronFuses ?? {}).sort()).toEqual(known.sort());
  });
});
