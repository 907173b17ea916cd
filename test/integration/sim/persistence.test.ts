import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../../electron/sim/index';
import { SimControl } from '../../../electron/sim/control';

const dir = mkdtempSync(path.join(tmpdir(), 'outpost-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function create(hetznerUrl: string, token: string, name: string) {
  const res = await fetch(`${hetznerUrl}/servers`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name, server_type: 'cx22', image: 'ubuntu-24.04' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { server: { id: number } }).server.id;
}

describe('state file', () => {
  it('keeps credentials and servers across a restart; in-flight actions finish after it', async () => {
    const stateFile = path.join(dir, 'sim-state.json');
    const first = await startSimulator({ stateFile, timeScale: 0.01, profile: { createServer: [20, 20] } });
    const id = await create(first.hetznerUrl, first.credentials.hetznerToken, 'survivor');
    await first.close();
    const saved = JSON.parse(readFileSync(stateFile, 'utf8')) as { servers: { id: number }[]; keys: unknown[] };
    expect(saved.servers.map((s) => s.id)).toEqual([id]);
    expect(JSON.stringify(saved)).not.toMatch(/tskey-auth-/);

    const second = await startSimulator({ stateFile, timeScale: 0.01 });
    try {
      expect(second.credentials).toEqual(first.credentials);
      const control = new SimControl(second.url);
      await control.waitFor((s) => s.servers.find((x) => x.id === id)?.status === 'running');
      const next = await create(second.hetznerUrl, second.credentials.hetznerToken, 'after-restart');
      expect(next).toBeGreaterThan(id);
    } finally {
      await second.close();
    }
  });

  it('repeats ids and credentials for the same seed', async () => {
    const runs = [];
    for (let i = 0; i < 2; i++) {
      const sim = await startSimulator({ seed: 99, timeScale: 0.01 });
      runs.push({ creds: sim.credentials, id: await create(sim.hetznerUrl, sim.credentials.hetznerToken, 'same') });
      await sim.close();
    }
    expect(runs[0]).toEqual(runs[1]);
    const other = await startSimulator({ seed: 100 });
    expect(other.credentials.hetznerToken).not.toBe(runs[0]!.creds.hetznerToken);
    await other.close();
  });

  it('refuses a non-loopback host', async () => {
    await expect(startSimulator({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
  });
});
