// TokenVault operations at their edges (electron/core/vault/vault.ts, load.ts, passphrase.ts): no
// way to encrypt, an unknown name, a keychain of the wrong format, clearing some of several secrets,
// locking again, an unreadable file, a data directory named like the file; and what the log says
// (names only, never values). Written to kill mutants StrykerJS found surviving
// (bench/results/mutation-survivors.md). Fast: scrypt at 2^10 (test/unit/vault/helpers.ts).
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../electron/core/log';
import { redactString } from '../../../electron/core/redact';
import { TokenVault } from '../../../electron/core/vault';
import { fixedPassphrase, passphraseSource, type PromptPort } from '../../../electron/core/vault/passphrase';
import { createTtyPrompt } from '../../../electron/core/vault/prompt';
import { tempDir } from '../../fixtures/temp-dir';
import { caught, fakeSafeCipher, FAST_SCRYPT, listDir, openGcm, PASS, scripted, writeLegacyVault } from '../vault/helpers';

let dir: string;
let cleanup: () => void;
beforeEach(() => ({ dir, cleanup } = tempDir('outpost-vault-gaps-')));
afterEach(() => cleanup());

const HZ = 'hz-GAPS-canary-token-0123456789';
const TS_ID = 'kGAPSclientid';

/** Records every log call as [level, message, fields]. */
function recordingLogger(): Logger & { lines: [string, string, unknown][] } {
  const lines: [string, string, unknown][] = [];
  const at = (level: string) => (message: string, fields?: unknown) => void lines.push([level, message, fields]);
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('TokenVault: refusals before anything is written', () => {
  it('with no way to encrypt: locked, saying what would work', async () => {
    const vault = await TokenVault.open({ dataDir: dir, ciphers: {} });
    const e = await caught(vault.set('hetznerToken', HZ));
    expect({ code: e.code, message: e.message, hint: e.hint }).toEqual({
      code: 'locked',
      message: 'No way to encrypt tokens is available.',
      hint: 'Use the desktop app with a system keychain, or set OUTPOST_PASSPHRASE.',
    });
    expect(listDir(dir)).toEqual([]);
  });

  it('an unknown secret name: invalid_input', async () => {
    const vault = await openGcm(dir);
    const values = { hetznerToken: HZ, sshKey: 'x' } as Parameters<TokenVault['setMany']>[0];
    const e = await caught(vault.setMany(values));
    expect({ code: e.code, message: e.message }).toEqual({ code: 'invalid_input', message: 'Unknown secret name.' });
    expect(listDir(dir)).toEqual([]);
  });

  it('a keychain that does not write the keychain format: a bug, not a vault', async () => {
    const vault = await TokenVault.open({ dataDir: dir, ciphers: { safe: { ...fakeSafeCipher(), format: 'v1:gcm' } } });
    const e = await caught(vault.set('hetznerToken', HZ));
    expect({ code: e.code, message: e.message }).toEqual({ code: 'internal', message: 'Unexpected keychain cipher format v1:gcm.' });
    expect(listDir(dir)).toEqual([]);
  });

  it('nothing to store: asks for no passphrase and creates no vault', async () => {
    const ask = scripted();
    const vault = await TokenVault.open({ dataDir: dir, ciphers: { passphrase: ask }, scrypt: FAST_SCRYPT });
    await vault.setMany({});
    expect(ask.asked).toEqual([]);
    expect(listDir(dir)).toEqual([]);
  });

  it('changePassphrase with no vault, or a keychain vault (even one with a stray scrypt header): invalid_input', async () => {
    expect((await caught((await openGcm(dir)).changePassphrase(PASS, 'another long passphrase'))).code).toBe('invalid_input');
    const safe = await TokenVault.open({ dataDir: dir, ciphers: { safe: fakeSafeCipher() } });
    await safe.set('hetznerToken', HZ);
    expect((await caught(safe.changePassphrase(PASS, 'another long passphrase'))).code).toBe('invalid_input');
    const file = join(dir, 'vault.json');
    const doc = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...doc, kdf: { name: 'scrypt', ...FAST_SCRYPT, salt: Buffer.alloc(16).toString('base64') } }), { mode: 0o600 });
    const edited = await TokenVault.open({ dataDir: dir, ciphers: { safe: fakeSafeCipher(), passphrase: scripted() } });
    const e = await caught(edited.changePassphrase(PASS, 'another long passphrase'));
    expect({ code: e.code, message: e.message }).toEqual({ code: 'invalid_input', message: 'This vault is protected by the system keychain and has no passphrase.' });
  });
});

describe('TokenVault: an empty directory', () => {
  it('reveals nothing and clears nothing, without asking', async () => {
    const ask = scripted();
    const vault = await TokenVault.open({ dataDir: dir, ciphers: { passphrase: ask }, scrypt: FAST_SCRYPT });
    expect(await vault.reveal('hetznerToken')).toBeNull();
    await vault.clear('hetznerToken');
    expect(ask.asked).toEqual([]);
    expect(listDir(dir)).toEqual([]);
  });
});

describe('TokenVault: clear', () => {
  it('removes the stored ones among those named, keeps the rest, and logs names only', async () => {
    const logger = recordingLogger();
    const vault = await openGcm(dir, { logger });
    await vault.setMany({ hetznerToken: HZ, tailscaleClientId: TS_ID });
    await vault.clear('tailscaleClientId', 'tailscaleClientSecret');
    expect(vault.status()).toEqual({ hetznerToken: 'stored', tailscaleClientId: 'missing', tailscaleClientSecret: 'missing', teamToken: 'missing' });
    expect(await vault.reveal('hetznerToken')).toBe(HZ);
    expect(logger.lines).toContainEqual(['info', 'vault: stored', { entries: ['hetznerToken', 'tailscaleClientId'] }]);
    expect(logger.lines).toContainEqual(['info', 'vault: cleared', { entries: ['tailscaleClientId'] }]);
    expect(JSON.stringify(logger.lines)).not.toContain(HZ);
  });
});

describe('TokenVault: the log', () => {
  it('records a passphrase change, a scrypt upgrade (and its failure) and a reset, by names and numbers only', async () => {
    await writeLegacyVault(dir, PASS, FAST_SCRYPT, { hetznerToken: HZ });
    const stronger = { ...FAST_SCRYPT, N: FAST_SCRYPT.N * 2 };
    const failing = recordingLogger();
    const crash = () => {
      throw new Error(`disk full ${HZ}`);
    };
    await (await openGcm(dir, { logger: failing, scrypt: stronger, hooks: { beforeRename: crash } })).unlock();
    expect(failing.lines).toEqual([['warn', 'vault: could not re-encrypt with a stronger key derivation; kept as it was', { code: 'internal' }]]);

    const logger = recordingLogger();
    const vault = await openGcm(dir, { logger, scrypt: stronger });
    await vault.unlock();
    await vault.changePassphrase(PASS, 'a brand new passphrase');
    expect(await vault.reset()).toEqual(['hetznerToken']);
    expect(logger.lines).toEqual([
      ['info', 'vault: re-encrypted with a stronger key derivation', { fromN: FAST_SCRYPT.N, toN: stronger.N }],
      ['info', 'vault: passphrase changed', { entries: 1 }],
      ['warn', 'vault: reset, every stored secret deleted', { entries: ['hetznerToken'] }],
    ]);
    expect(JSON.stringify([failing.lines, logger.lines])).not.toContain(HZ);
  });
});

describe('TokenVault: lock', () => {
  it('forgets the key: the next read asks again', async () => {
    const ask = scripted();
    const vault = await TokenVault.open({ dataDir: dir, ciphers: { passphrase: ask }, scrypt: FAST_SCRYPT });
    await vault.set('hetznerToken', HZ);
    expect(vault.locked).toBe(false);
    vault.lock();
    expect(vault.locked).toBe(true);
    expect(await vault.reveal('hetznerToken')).toBe(HZ);
    expect(ask.asked).toEqual(['create', 'unlock']);
  });
});

describe('opening the vault file', () => {
  it('an unreadable one is an error naming the cause and the path, and nothing is moved', async () => {
    mkdirSync(join(dir, 'vault.json'));
    const e = await caught(TokenVault.open({ dataDir: dir, ciphers: {} }));
    expect({ code: e.code, message: e.message, hint: e.hint }).toEqual({
      code: 'unavailable',
      message: 'The token vault could not be read (EISDIR).',
      hint: `Check the permissions of ${join(dir, 'vault.json')}.`,
    });
    expect(listDir(dir)).toEqual(['vault.json']);
  });

  it('one readable by others is put back to 0600, with a notice and a log line', async () => {
    await writeLegacyVault(dir, PASS, FAST_SCRYPT, { hetznerToken: HZ });
    chmodSync(join(dir, 'vault.json'), 0o644);
    const logger = recordingLogger();
    const vault = await openGcm(dir, { logger });
    expect(vault.notices).toEqual(['The token vault was readable by other users (mode 644); its mode is now 600.']);
    expect(logger.lines).toEqual([['warn', 'vault: permissions tightened', { mode: '644' }]]);
    expect(statSync(join(dir, 'vault.json')).mode & 0o777).toBe(0o600);
  });

  it('a damaged one is moved aside next to it, even in a directory named like a JSON file, and logged', async () => {
    const dataDir = join(dir, 'data.json.d');
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'vault.json'), '{ damaged');
    const logger = recordingLogger();
    const vault = await TokenVault.open({ dataDir, ciphers: {}, logger, clock: { now: () => Date.UTC(2026, 0, 2, 3, 4, 5) } });
    expect(readdirSync(dataDir)).toEqual(['vault.corrupt-2026-01-02T03-04-05-000Z']);
    expect(vault.notices).toHaveLength(1);
    expect(logger.lines).toEqual([
      ['warn', 'vault: damaged file moved aside', { reason: 'the file is not valid JSON (truncated or damaged)', movedTo: join(dataDir, 'vault.corrupt-2026-01-02T03-04-05-000Z') }],
    ]);
    expect(existsSync(join(dataDir, 'vault.json'))).toBe(false);
  });
});

describe('passphrases', () => {
  const answering = (...answers: string[]): PromptPort & { questions: string[] } => {
    const questions: string[] = [];
    return Object.assign(async (q: string) => (questions.push(q), answers.shift() ?? ''), { questions });
  };

  it('an empty OUTPOST_PASSPHRASE counts as unset: the prompt asks, with these questions', async () => {
    const unlock = answering('typed passphrase');
    expect(await passphraseSource({ env: { OUTPOST_PASSPHRASE: '' }, prompt: unlock })('unlock')).toBe('typed passphrase');
    expect(unlock.questions).toEqual(['Outpost vault passphrase: ']);
    const create = answering('a new long passphrase', 'a new long passphrase');
    await passphraseSource({ env: {}, prompt: create })('create');
    expect(create.questions).toEqual(['Choose a passphrase for the Outpost vault: ', 'Repeat the passphrase: ']);
  });

  it('refusals say what happened and change nothing', async () => {
    const short = await caught(passphraseSource({ env: {}, prompt: answering('short') })('create'));
    expect(short.hint).toBe('Choose a longer one: a few unrelated words are easy to type and hard to guess.');
    expect((await caught(passphraseSource({ env: {}, prompt: answering('passphrase one', 'passphrase two') })('create'))).message).toBe('The two passphrases differ; nothing was changed.');
    expect((await caught(passphraseSource({ env: {}, prompt: answering('') })('unlock'))).message).toBe('No passphrase was entered.');
    expect((await caught(passphraseSource({ env: {} })('unlock'))).message).toBe('The vault needs a passphrase and none was given.');
  });

  it('an input that ends without a line: locked, saying so', async () => {
    const input = new PassThrough();
    const answer = createTtyPrompt({ input, output: new PassThrough() })('Passphrase: ');
    input.end();
    await expect(answer).rejects.toMatchObject({ code: 'locked', message: 'No passphrase was entered (the input ended).' });
  });

  it('a fixed passphrase is handed out as is and masked in logs from then on', async () => {
    expect(await fixedPassphrase('fixed-passphrase-canary')('unlock')).toBe('fixed-passphrase-canary');
    expect(redactString('x fixed-passphrase-canary y')).not.toContain('fixed-passphrase-canary');
  });
});
