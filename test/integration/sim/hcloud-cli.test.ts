import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestSim, expectConformant, startTestSim } from './helpers';

const run = promisify(execFile);
let sim: TestSim;
let dir: string;
let env: NodeJS.ProcessEnv;

async function hcloud(...args: string[]): Promise<string> {
  const { stdout } = await run('hcloud', args, { env, timeout: 30_000 });
  return stdout;
}

beforeAll(async () => {
  try {
    await run('hcloud', ['version']);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('The official Hetzner CLI `hcloud` is not installed: install the Debian package hcloud-cli (apt-get install hcloud-cli).', { cause: error });
    }
  }
  sim = await startTestSim({ timeScale: 0.005 });
  dir = mkdtempSync(path.join(tmpdir(), 'outpost-hcloud-'));
  const config = path.join(dir, 'cli.toml');
  writeFileSync(config, '');
  env = { PATH: process.env.PATH, HOME: dir, HCLOUD_CONFIG: config, HCLOUD_ENDPOINT: sim.hetznerUrl, HCLOUD_TOKEN: sim.credentials.hetznerToken };
});

afterAll(async () => {
  if (sim) {
    await expectConformant(sim);
    await sim.close();
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the official hcloud CLI against the simulator', () => {
  it('lists locations, server types and images', async () => {
    const locations = await hcloud('location', 'list');
    expect(locations).toMatch(/fsn1\s+Falkenstein DC Park 1\s+eu-central\s+DE\s+Falkenstein/);
    expect(locations).toMatch(/ash\s+Ashburn, VA\s+us-east\s+US/);
    const types = await hcloud('server-type', 'list');
    expect(types).toMatch(/104\s+cx22\s+2\s+shared/);
    expect(types).toMatch(/cax11/);
    const images = await hcloud('image', 'list');
    expect(images.match(/ubuntu-24\.04/g)).toHaveLength(2);
    expect(images).toMatch(/161547269\s+system\s+ubuntu-24\.04\s+Ubuntu 24\.04/);
  });

  it('creates, lists by label, describes and deletes a server', async () => {
    const userData = path.join(dir, 'user-data.yaml');
    writeFileSync(userData, '#cloud-config\nruncmd:\n  - [echo, hello]\n');
    const created = await hcloud('server', 'create', '--name', 'cli-node-1', '--type', 'cx22', '--image', 'ubuntu-24.04', '--location', 'fsn1', '--user-data-from-file', userData, '--label', 'app=outpost', '--label', 'owner=ops');
    const id = /Server (\d+) created/.exec(created)?.[1];
    expect(Number(id)).toBeGreaterThan(2 ** 32);
    const ipv4 = /IPv4:\s+(\S+)/.exec(created)?.[1];
    expect(ipv4).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(created).toMatch(/IPv6:\s+2001:db8:[0-9a-f:]+::1/);
    expect(created).toMatch(/Root password:\s+\S+/);

    const state = await sim.control.state();
    const server = state.servers.find((s) => s.name === 'cli-node-1')!;
    expect(server).toMatchObject({ status: 'running', labels: { app: 'outpost', owner: 'ops' }, ipv4 });
    expect(server.userDataBytes).toBeGreaterThan(0);

    const listed = await hcloud('server', 'list', '-l', 'app=outpost');
    expect(listed).toMatch(new RegExp(`${id}\\s+cli-node-1\\s+running\\s+${ipv4!.replace(/\./g, '\\.')}`));
    expect(listed).toContain('fsn1-dc14');
    expect(await hcloud('server', 'list', '-l', 'app=other')).not.toContain('cli-node-1');

    const described = await hcloud('server', 'describe', 'cli-node-1');
    expect(described).toMatch(/Name:\s+cli-node-1/);
    expect(described).toMatch(/Status:\s+running/);
    expect(described).toContain(ipv4!);
    expect(described).toMatch(/Name:\s+ubuntu-24\.04/);
    expect(described).toMatch(/app: outpost/);

    const deleted = await hcloud('server', 'delete', 'cli-node-1');
    expect(deleted).toContain('Server cli-node-1 deleted');
    await sim.control.waitFor((s) => !s.servers.some((x) => x.name === 'cli-node-1'));
    expect(await hcloud('server', 'list')).not.toContain('cli-node-1');
  });

  it('prints the API error and code when creation fails', async () => {
    await expect(hcloud('server', 'create', '--name', 'bad_name', '--type', 'cx22', '--image', 'ubuntu-24.04')).rejects.toMatchObject({ stderr: expect.stringContaining('invalid_input') });
  });
});
