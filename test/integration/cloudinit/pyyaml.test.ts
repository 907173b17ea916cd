// The strongest proof: the text the renderer produces, read by cloud-init's own loader
// (cloudinit.safeyaml.load, PyYAML SafeLoader) in cloud-init's own python. Everything the renderer
// lets through must load as exactly the object meant; the reported attack must really inject
// when the checks are bypassed (so the test would notice a loader that changed).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCloudConfig, renderUserData } from '../../../electron/core/cloudinit';
import { readLikePyYaml } from '../../../electron/core/cloudinit/pyyaml';
import { readBackDivergence } from '../../../electron/core/cloudinit/readBack';
import { assembleCloudConfig, checkUserDataInput, renderValues, serializeCloudConfig } from '../../../electron/core/cloudinit/userData';
import { OutpostError } from '../../../shared/errors';
import { ATTACK_KEY, base, validInput, VARIANTS } from '../../unit/cloudinit/fixtures';
import { perturbed, PYYAML_CASES, unchecked } from '../../unit/cloudinit/hostile';

// Non-JSON results (dates, non-string keys) are tagged so they can never equal a string.
const LOADER = `
import json, sys
from cloudinit import safeyaml
def plain(v):
    if isinstance(v, dict):
        if not all(isinstance(k, str) for k in v):
            return {"$python": "dict with non-string keys: " + repr(list(v))}
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if v is None or isinstance(v, (str, bool, int, float)):
        return v
    return {"$python": type(v).__name__}
out = []
for text in json.load(sys.stdin):
    try:
        out.append({"ok": True, "value": plain(safeyaml.load(text))})
    except Exception as e:
        out.append({"ok": False, "error": type(e).__name__})
json.dump(out, sys.stdout)
`;

type Loaded = { ok: true; value: unknown } | { ok: false; error: string };

// cloud-init's interpreter, from its own shebang: the python whose PyYAML reads user-data on a VM.
function cloudInitPython(): string | null {
  const which = spawnSync('sh', ['-c', 'command -v cloud-init'], { encoding: 'utf8' });
  if (which.status !== 0) return null;
  const shebang = readFileSync(which.stdout.trim(), 'utf8').split('\n')[0] ?? '';
  return shebang.startsWith('#!') ? shebang.slice(2).trim().split(/\s+/)[0] ?? null : null;
}

let python = '';

/** One python process for many texts: spawning per text would take minutes. */
function loadWithCloudInit(texts: string[]): Loaded[] {
  const run = spawnSync(python, ['-c', LOADER], { input: JSON.stringify(texts), encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`cloud-init's loader failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Loaded[];
}

beforeAll(() => {
  const found = cloudInitPython();
  const probe = found ? spawnSync(found, ['-c', 'from cloudinit import safeyaml; import yaml'], { encoding: 'utf8' }) : null;
  if (!found || probe?.status !== 0) {
    throw new Error(
      'cloud-init and its PyYAML are needed to read user-data the way a VM does: install the Debian packages `cloud-init` and `python3-yaml` (apt-get install cloud-init python3-yaml).',
    );
  }
  python = found;
});

describe("cloud-init's own YAML loader", () => {
  it('agrees with the in-process emulation on every reader case', () => {
    const loaded = loadWithCloudInit(PYYAML_CASES.map(([, text]) => text));
    PYYAML_CASES.forEach(([name, text, expected], i) => {
      expect(loaded[i], name).toEqual({ ok: true, value: expected });
      expect(readLikePyYaml(text), name).toEqual(expected);
    });
  });

  it('really injects modules from the reported attack when the checks are bypassed, and the renderer refuses it', () => {
    const values = { ...checkUserDataInput(base), sshKeys: [ATTACK_KEY] };
    const config = assembleCloudConfig(values);
    const [loaded] = loadWithCloudInit([serializeCloudConfig(config)]);
    expect(loaded).toMatchObject({
      ok: true,
      value: { users: [{ name: 'mallory', sudo: 'ALL=(ALL) NOPASSWD:ALL' }], ssh_pwauth: true, power_state: { mode: 'reboot' } },
    });
    // The emulation reads the same injected document as cloud-init does.
    expect(readLikePyYaml(serializeCloudConfig(config))).toEqual((loaded as { value: unknown }).value);
    expect(() => renderValues(values)).toThrow(OutpostError);
    expect(() => renderUserData({ ...base, sshAuthorizedKeys: [ATTACK_KEY] })).toThrow(/sshAuthorizedKeys\[0\]/);
  });

  it('loads every rendered variant and 200 generated inputs as exactly the object meant', () => {
    const inputs = [...Object.values(VARIANTS), ...fc.sample(validInput, { numRuns: 200 })];
    const loaded = loadWithCloudInit(inputs.map((input) => renderUserData(input).text));
    inputs.forEach((input, i) => expect(loaded[i]).toEqual({ ok: true, value: buildCloudConfig(input) }));
  }, 120_000);

  it('loads whatever the renderer accepts from arbitrary Unicode in any field as exactly the object meant', () => {
    const accepted = fc
      .sample(perturbed, { numRuns: 1500 })
      .flatMap(({ input }) => {
        try {
          return [{ text: renderUserData(input).text, meant: buildCloudConfig(input) }];
        } catch (err) {
          if (err instanceof OutpostError && err.code === 'invalid_input') return [];
          throw err;
        }
      });
    expect(accepted.length).toBeGreaterThan(50);
    const loaded = loadWithCloudInit(accepted.map((a) => a.text));
    accepted.forEach(({ meant }, i) => expect(loaded[i]).toEqual({ ok: true, value: meant }));
  }, 120_000);

  it('with the allow-lists bypassed, lets nothing through that cloud-init would read differently', () => {
    const samples = fc.sample(unchecked, { numRuns: 1000 }).map(({ values }) => {
      const config = assembleCloudConfig(values);
      const text = serializeCloudConfig(config);
      return { config, text, passes: readBackDivergence(text, config) === null };
    });
    const loaded = loadWithCloudInit(samples.map((s) => s.text));
    let diverging = 0;
    samples.forEach(({ config, passes }, i) => {
      const same = loaded[i]!.ok && JSON.stringify(loaded[i]) === JSON.stringify({ ok: true, value: config });
      if (!same) diverging += 1;
      // Soundness: the read-back never passes a text that cloud-init reads as something else.
      if (passes) expect(loaded[i], JSON.stringify(config)).toEqual({ ok: true, value: config });
    });
    // The samples do reach texts that cloud-init reads differently (else this proves nothing).
    expect(diverging).toBeGreaterThan(20);
  }, 120_000);
});
