// Process plumbing for the team-server scenario (bench/scenarios/team.ts): the built `outpost` command
// as child processes (`outpost sim`, `outpost users`, `outpost serve`), a browser-like follower of a
// server's event stream, and the CPU time a set of processes used (from /proc). The same moves as
// test/integration/team/two-process-kill.test.ts, without vitest.
import { readdirSync, readFileSync } from 'node:fs';
import { request } from 'node:https';
import type { Job, JobEvent } from '../../shared/domain';
import { liveEnv, spawnOutpost, startSim as startOutpostSim, type OutpostProcess, type OutpostSim } from '../../test/fixtures/cli-process';
import { TeamClient } from '../../test/fixtures/team-client';
import type { TestCertificate } from '../../test/fixtures/tls';
import { pollUntil, waitUntil } from '../../test/fixtures/wait-until';

export type Child = OutpostProcess;
export type RunningSim = OutpostSim;

/** The `outpost` command as a child; the database's URL only in its environment (never on a command line, where `ps` shows it). */
export function outpost(args: string[], env: NodeJS.ProcessEnv): Child {
  // Not this shell's data directory or base URL: each process has its own, from its arguments.
  return spawnOutpost(args, { without: ['OUTPOST_BASE_URL', 'OUTPOST_DATA_DIR'], env: { OUTPOST_LOG_LEVEL: 'warn', ...env } });
}

/** Runs a command to its end; its stdout's last line, parsed as JSON. */
export async function outpostJson<T>(args: string[], env: Record<string, string>): Promise<T> {
  const run = outpost(args, env);
  const { code } = await run.exited;
  // Not the output: `users token` prints the token.
  if (code !== 0) throw new Error(`outpost ${args.slice(0, 2).join(' ')} exited with ${code}`);
  return JSON.parse(run.output().trim().split('\n').at(-1)!) as T;
}

/** Ends a child: SIGTERM (a clean stop), SIGKILL if it has not exited 15 s later. */
export async function stop(c: Child): Promise<void> {
  if (c.child.exitCode !== null || c.child.signalCode !== null) return;
  c.child.kill('SIGTERM');
  let gone = false;
  void c.exited.then(() => (gone = true));
  if (!(await pollUntil(() => gone, 15_000, 50))) c.child.kill('SIGKILL');
  await c.exited;
}

/** `outpost sim` on a free port with these flags; its printed URLs and credentials. */
export const startSim = (flags: string[]): Promise<RunningSim> => startOutpostSim(flags, (args) => outpost(args, {}));

export interface TeamServer {
  name: string;
  process: Child;
  client: TeamClient;
}

/** `outpost serve` in live mode against the simulator, HTTPS with the bench's certificate, on a free port. */
export async function serve(name: string, dataDir: string, databaseUrl: string, sim: RunningSim, cert: TestCertificate): Promise<TeamServer> {
  const proc = outpost(['--data-dir', dataDir, '--mode', 'live', 'serve', '--host', '127.0.0.1', '--port', '0', '--tls-cert', cert.certFile, '--tls-key', cert.keyFile], {
    OUTPOST_DATABASE_URL: databaseUrl,
    ...liveEnv(sim.endpoints),
  });
  const listening = () => /listening on (https:\/\/\S+?)\)/.exec(proc.output())?.[1];
  await waitUntil(() => (!!listening() && proc.output().includes('Stop with Ctrl+C')) || proc.child.exitCode !== null, () => `outpost serve (${name}) to listen; output: ${proc.output()}`, 60_000);
  const url = listening();
  if (!url || proc.child.exitCode !== null) throw new Error(`outpost serve (${name}) did not start: ${proc.output()}`);
  return { name, process: proc, client: new TeamClient(new URL(url), cert.cert) };
}

/** One `job:progress` event as a browser of `server` received it. */
export interface Received {
  server: string;
  jobId: string;
  seq: number;
  /** The job's status in the event's row. */
  status: string;
  /** The event's own `at` (taken by the process that ran the job, just before its transaction), ms. */
  at: number | null;
  receivedAt: number;
}

/** Follows the server's event stream as a browser would (with the API token), recording every job event. */
export function follow(server: TeamServer, token: string, cert: TestCertificate, sink: (r: Received) => void): { attached: Promise<void>; close(): void } {
  let attached: () => void = () => undefined;
  let refused: (err: Error) => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => ((attached = resolve), (refused = reject)));
  const req = request(new URL('events', server.client.base), { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, ca: cert.cert }, (res) => {
    if (res.statusCode !== 200) refused(new Error(`${server.name}'s event stream answered ${res.statusCode}`));
    else attached();
    let buffer = '';
    res.on('data', (chunk: Buffer) => {
      // Stamped when the chunk arrived, before parsing: parsing is the bench's cost, not the server's.
      const receivedAt = Date.now();
      buffer += chunk.toString();
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: (.+)$/m.exec(block)?.[1] !== 'job:progress') continue;
        const data = JSON.parse(/^data: (.+)$/m.exec(block)![1]!) as { jobId: string; seq: number; job: Job; event: JobEvent | null };
        sink({ server: server.name, jobId: data.jobId, seq: data.seq, status: data.job.status, at: data.event ? Date.parse(data.event.at) : null, receivedAt });
      }
    });
    res.on('error', () => undefined);
  });
  req.on('error', (err) => refused(err));
  req.end();
  return { attached: ready, close: () => req.destroy() };
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime (+ the reaped children's, when `children`) of one process, ms; 0 once it is gone. */
function cpuOf(pid: number, children: boolean): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at field 3.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]) + (children ? Number(f[13]) + Number(f[14]) : 0);
    return (ticks * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU ms used so far by these processes (their own, not their children's). */
export const cpuMs = (pids: number[]): number => pids.reduce((n, pid) => n + cpuOf(pid, false), 0);

/**
 * CPU ms used so far by the PostgreSQL server listening on `port`: the postmaster with its reaped
 * backends, plus every live child (backends, checkpointer, WAL writer…). Another cluster on the
 * machine (a test run's) has another port and is not counted.
 */
export function postgresCpuMs(port: number): number {
  const procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  const cmdline = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      return [];
    }
  };
  const postmaster = procs.find((pid) => {
    const args = cmdline(pid);
    return args.some((a) => a.endsWith('/postgres')) && args.join(' ').includes(`-p ${port}`);
  });
  if (postmaster === undefined) return NaN;
  const parentOf = (pid: number) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      return -1;
    }
  };
  return cpuOf(postmaster, true) + procs.filter((pid) => parentOf(pid) === postmaster).reduce((n, pid) => n + cpuOf(pid, false), 0);
}
