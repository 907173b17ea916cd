import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseFaultFlag } from '../../../electron/sim/flags';
import { runSim } from '../../../electron/sim/run';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

describe('runSim (outpost sim)', () => {
  it('prints exactly one JSON line with the URLs and credentials', async () => {
    const lines: string[] = [];
    const sim = await runSim({ port: 0, json: true, timeScale: 0.01, seed: 5, faults: { http: [parseFaultFlag('GET /hetzner/v1/locations 503 count=1')] } }, (l) => lines.push(l));
    try {
      expect(lines).toHaveLength(1);
      expect(lines[0]).not.toContain('\n');
      const out = JSON.parse(lines[0]!);
      expect(Object.keys(out).sort()).toEqual(['hetznerReadOnlyToken', 'hetznerToken', 'hetznerUrl', 'tailscaleClientId', 'tailscaleClientSecret', 'tailscaleTags', 'tailscaleUrl']);
      expect(out.hetznerUrl).toBe(sim.hetznerUrl);
      expect(out.tailscaleClientSecret).toMatch(new RegExp(`^tskey-client-${out.tailscaleClientId}-`));
      const res = await fetch(`${out.hetznerUrl}/locations`, { headers: { Authorization: `Bearer ${out.hetznerToken}` } });
      expect(res.status).toBe(503); // the fault is installed before the line is printed
    } finally {
      await sim.close();
    }
  });

  it('prints human text naming both APIs and the hcloud usage', async () => {
    const lines: string[] = [];
    const sim = await runSim({ port: 0, json: false }, (l) => lines.push(l));
    await sim.close();
    const text = lines.join('\n');
    expect(text).toContain(sim.hetznerUrl);
    expect(text).toContain(sim.tailscaleUrl);
    expect(text).toContain(`HCLOUD_ENDPOINT=${sim.hetznerUrl}`);
    expect(text).toContain(sim.credentials.hetznerReadOnlyToken);
  });

  it('runs standalone: main.ts --json prints one line and serves until SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/sim/main.ts', '--port', '0', '--json', '--time-scale', '0.01'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`exited ${code}`)));
    });
    const out = JSON.parse(line);
    const res = await fetch(`${out.tailscaleUrl}/api/v2/oauth/token`, { method: 'POST', body: new URLSearchParams({ client_secret: out.tailscaleClientSecret }) });
    expect(res.status).toBe(200);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
