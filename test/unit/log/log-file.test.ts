// Issue 17 item 5: the logger's rotating files in the data directory.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, registerSecret } from '../../../electron/core/log';
import { LOG_FILE_NAME, logFiles, readRecentLogLines, rotatingFileSink } from '../../../electron/core/log-file';
import { clearRegisteredSecrets } from '../../../electron/core/redact';
import { tempDir } from '../../fixtures/temp-dir';

const cleanups: (() => void)[] = [];
afterEach(() => {
  clearRegisteredSecrets();
  for (const c of cleanups.splice(0)) c();
});
const scratch = () => {
  const t = tempDir('outpost-logfile-');
  cleanups.push(t.cleanup);
  return t.dir;
};

describe('rotating log files', () => {
  it('keeps at most maxFiles files of at most maxBytes each, newest lines in outpost.log', () => {
    const dir = scratch();
    const sink = rotatingFileSink({ dir, maxBytes: 200, maxFiles: 3 });
    for (let i = 0; i < 100; i++) sink(JSON.stringify({ n: i, pad: 'x'.repeat(20) }));
    const files = logFiles(dir, 10);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([LOG_FILE_NAME, `${LOG_FILE_NAME}.1`, `${LOG_FILE_NAME}.2`]);
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(200);
    const recent = readRecentLogLines(dir, 1_000_000, 3).map((l) => (JSON.parse(l) as { n: number }).n);
    // The newest survive, in order, with none missing between the oldest kept and the last.
    expect(recent.at(-1)).toBe(99);
    expect(recent).toEqual(Array.from({ length: recent.length }, (_, i) => 100 - recent.length + i));
  });

  it('stays within the bounds when two writers share the files (the desktop app and the command)', () => {
    const dir = scratch();
    const desktop = rotatingFileSink({ dir, maxBytes: 300, maxFiles: 3 });
    const command = rotatingFileSink({ dir, maxBytes: 300, maxFiles: 3 });
    for (let i = 0; i < 60; i++) (i % 2 ? command : desktop)(JSON.stringify({ n: i, pad: 'w'.repeat(25) }));
    const files = logFiles(dir, 10);
    expect(files).toHaveLength(3);
    for (const f of files) expect(statSync(f).size).toBeLessThanOrEqual(300);
    expect(readRecentLogLines(dir, 1_000_000, 3).map((l) => (JSON.parse(l) as { n: number }).n).at(-1)).toBe(59);
  });

  it.runIf(process.platform !== 'win32')('creates files owner-only (0600), also when rotating', () => {
    const dir = scratch();
    const sink = rotatingFileSink({ dir, maxBytes: 100, maxFiles: 2 });
    for (let i = 0; i < 20; i++) sink(`{"line":${i},"pad":"${'y'.repeat(30)}"}`);
    for (const f of logFiles(dir)) expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('continues an existing file and counts its size', () => {
    const dir = scratch();
    writeFileSync(join(dir, LOG_FILE_NAME), `${'z'.repeat(150)}\n`, { mode: 0o600 });
    rotatingFileSink({ dir, maxBytes: 200, maxFiles: 2 })('{"after":"restart","pad":"0123456789012345678901234567890123456789012345678901234567890"}');
    expect(readFileSync(join(dir, `${LOG_FILE_NAME}.1`), 'utf8')).toContain('zzz');
    expect(readFileSync(join(dir, LOG_FILE_NAME), 'utf8')).toContain('restart');
  });

  it('never throws when the directory cannot be written', () => {
    const dir = scratch();
    writeFileSync(join(dir, 'not-a-dir'), '');
    const sink = rotatingFileSink({ dir: join(dir, 'not-a-dir') });
    expect(() => sink('{"x":1}')).not.toThrow();
  });

  it('readRecentLogLines returns whole lines within the byte budget, oldest first', () => {
    const dir = scratch();
    const sink = rotatingFileSink({ dir });
    for (let i = 0; i < 10; i++) sink(`{"i":${i}}`);
    expect(readRecentLogLines(dir, 20)).toEqual(['{"i":8}', '{"i":9}']);
  });
});

describe('createLogger with a file', () => {
  it('writes the same redacted JSON lines to the file, at the file’s own level', () => {
    const dir = scratch();
    const stderr: string[] = [];
    registerSecret('canary-secret-value-123');
    const log = createLogger({ level: 'warn', sink: (l) => stderr.push(l), file: { dir } });
    log.info('token is canary-secret-value-123', { hetznerToken: 'plain-field-secret', step: 'reserve' });
    log.warn('careful');
    const lines = readFileSync(join(dir, LOG_FILE_NAME), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines.join('\n')).not.toContain('canary-secret-value-123');
    expect(lines.join('\n')).not.toContain('plain-field-secret');
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', msg: 'token is [redacted]', hetznerToken: '[redacted]', step: 'reserve' });
    // The terminal sink keeps its own level: only the warning.
    expect(stderr).toHaveLength(1);
    expect(JSON.parse(stderr[0]!)).toMatchObject({ level: 'warn', msg: 'careful' });
    expect(log.isLevelEnabled('info')).toBe(true);
    expect(log.isLevelEnabled('debug')).toBe(false);
  });
});
