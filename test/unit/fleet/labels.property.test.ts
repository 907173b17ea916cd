// Every label Outpost puts on a server is one Hetzner accepts, whatever the agent name, customer or
// payment reference holds (odd Unicode, control characters, lone surrogates, 1000 characters), and
// the names read back as typed. Checked against the simulator's rules, which follow the spec.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeLabelText, encodeLabelText, LABEL, readLedger, serverLabels } from '../../../electron/core/fleet/labels';
import { labelKeyProblem, labelsProblems, labelValueProblem } from '../../../electron/sim/hetzner/labels';

const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ maxLength: 1000 }),
  fc.constantFrom('', ' ', '-', '.', '_', 'Z', '…', 'build bot', '  lead and trail  ', 'Ünïcødé 🚀 Bot', '\u0000\u202e', 'a'.repeat(63), 'é'.repeat(40)),
);
/** No lone surrogate (UTF-8 cannot carry one, so it cannot read back). */
const wellFormed = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

describe('server labels', () => {
  it('are valid Hetzner labels for any input', () => {
    fc.assert(
      fc.property(anyText, anyText, fc.option(anyText), fc.option(anyText), fc.string({ maxLength: 40 }), (agent, plan, payment, customer, job) => {
        const labels = serverLabels({ jobId: job, storeId: 'a1b2c3d4e5f60718', agentName: agent, plan, paymentReference: payment, customer });
        expect(labelsProblems(labels)).toEqual([]);
        for (const key of Object.keys(labels)) expect(labelKeyProblem(key)).toBeNull();
        expect(labels[LABEL.managed]).toBe('true');
      }),
      { numRuns: 2000 },
    );
  });

  it('encode free text reversibly when it fits, and cut it with an ellipsis when not', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const value = encodeLabelText(text);
        expect(labelValueProblem(value)).toBeNull();
        expect(value.length).toBeLessThanOrEqual(63);
        if (!wellFormed(text)) return;
        const back = decodeLabelText(value);
        // Each UTF-8 byte costs at most three characters: up to 21 bytes always fit and read back exactly.
        if (Buffer.byteLength(text) <= 21) expect(back).toBe(text);
        else if (back !== text) {
          expect(back.endsWith('…')).toBe(true);
          expect(text.startsWith(back.slice(0, -1))).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('keep plain names readable and decode them exactly', () => {
    expect(encodeLabelText('Globex')).toBe('Globex');
    expect(encodeLabelText('build bot 2')).toBe('build_bot_2');
    expect(encodeLabelText('Zoë')).toBe('Z5AoZC3ZAB');
    expect(decodeLabelText('Z5AoZC3ZAB')).toBe('Zoë');
    expect(decodeLabelText(encodeLabelText(' -x- '))).toBe(' -x- ');
    const long = encodeLabelText('Ä'.repeat(30));
    expect(long.length).toBeLessThanOrEqual(63);
    expect(decodeLabelText(long)).toMatch(/^Ä+…$/);
    // What is not an encoding (an older Outpost's agent id, a hand-set value) is shown as it is.
    expect(decodeLabelText('ZZ-raw')).toBe('ZZ-raw');
  });

  it('leave the customer out unless given, and say what a server is in a ledger', () => {
    const base = { jobId: 'job_1', storeId: 'feed', agentName: 'bot', plan: 'cx22', paymentReference: 'INV 7/2026' };
    expect(serverLabels({ ...base, customer: null })[LABEL.customer]).toBeUndefined();
    const labels = serverLabels({ ...base, customer: 'Müller GmbH' });
    expect(readLedger(labels)).toEqual({ jobId: 'job_1', storeId: 'feed', agentName: 'bot', customer: 'Müller GmbH', paymentReference: labels[LABEL.payment], plan: 'cx22' });
    expect(labels[LABEL.payment]).toMatch(/^INV-7-2026-[0-9a-f]{8}$/);
  });
});
