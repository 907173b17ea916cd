import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { redactString } from '../../../electron/core/redact';
import { createTtyPrompt, passphraseSource, type PromptPort } from '../../../electron/core/vault';
import { caught } from './helpers';

const answering = (...answers: string[]): PromptPort & { questions: string[] } => {
  const questions: string[] = [];
  const port = async (q: string) => {
    questions.push(q);
    return answers.shift() ?? '';
  };
  return Object.assign(port, { questions });
};

describe('passphraseSource', () => {
  it('OUTPOST_PASSPHRASE wins over the prompt and is masked in logs from then on', async () => {
    const prompt = answering('from prompt');
    const source = passphraseSource({ env: { OUTPOST_PASSPHRASE: 'env-passphrase-canary' }, prompt });
    expect(await source('unlock')).toBe('env-passphrase-canary');
    expect(await source('create')).toBe('env-passphrase-canary');
    expect(prompt.questions).toEqual([]);
    expect(redactString('pass=env-passphrase-canary!')).not.toContain('env-passphrase-canary');
  });

  it('unlock asks once; create asks twice and compares', async () => {
    const p1 = answering('my passphrase');
    expect(await passphraseSource({ env: {}, prompt: p1 })('unlock')).toBe('my passphrase');
    expect(p1.questions).toHaveLength(1);
    const p2 = answering('my new passphrase', 'my new passphrase');
    expect(await passphraseSource({ env: {}, prompt: p2 })('create')).toBe('my new passphrase');
    expect(p2.questions).toHaveLength(2);
  });

  it('refuses a mismatch, a short new passphrase, an empty answer, and no way to ask', async () => {
    expect((await caught(passphraseSource({ env: {}, prompt: answering('passphrase one', 'passphrase two') })('create'))).code).toBe('invalid_input');
    expect((await caught(passphraseSource({ env: {}, prompt: answering('short', 'short') })('create'))).message).toMatch(/at least 12/);
    const fromEnv = await caught(passphraseSource({ env: { OUTPOST_PASSPHRASE: 'elevenchars' } })('create'));
    expect(fromEnv.code).toBe('invalid_input');
    expect(fromEnv.message).toMatch(/^OUTPOST_PASSPHRASE has 11 characters; a new vault passphrase needs at least 12/);
    expect(await passphraseSource({ env: { OUTPOST_PASSPHRASE: 'eight8ch' } })('unlock')).toBe('eight8ch'); // an old vault's still opens
    expect((await caught(passphraseSource({ env: {}, prompt: answering('') })('unlock'))).code).toBe('locked');
    const none = await caught(passphraseSource({ env: {} })('unlock'));
    expect(none.code).toBe('locked');
    expect(none.hint).toMatch(/OUTPOST_PASSPHRASE/);
  });
});

describe('createTtyPrompt', () => {
  it('prints the question, reads one line, and never echoes the answer', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = '';
    output.on('data', (c: Buffer) => (shown += c.toString()));
    const answer = createTtyPrompt({ input, output })('Passphrase: ');
    input.write('typed secret phrase\n');
    expect(await answer).toBe('typed secret phrase');
    expect(shown).toBe('Passphrase: \n');
  });

  it('rejects with a locked error when the input ends without an answer', async () => {
    const input = new PassThrough();
    const answer = createTtyPrompt({ input, output: new PassThrough() })('Passphrase: ');
    input.end();
    expect((await caught(answer)).code).toBe('locked');
  });
});
