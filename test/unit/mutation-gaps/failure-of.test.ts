// failureOf (electron/core/provisioning/compensate.ts) is what a failed job says in its row and its
// step_failed event: the API's own code when the cloud answered one, else Outpost's, never a lost message
// or hint.
import { describe, expect, it } from 'vitest';
import { OutpostError } from '../../../shared/errors';
import { HetznerError } from '../../../electron/core/hetzner';
import { failureOf } from '../../../electron/core/provisioning/compensate';

describe('failureOf', () => {
  it("prefers the cloud's own error code (apiCode) over Outpost's", () => {
    const err = new HetznerError({ status: 422, apiCode: 'resource_unavailable', message: 'no capacity', method: 'POST', path: '/servers', attempts: 1 });
    expect(failureOf('create_server', err)).toEqual({ step: 'create_server', code: 'resource_unavailable', message: err.message });
  });

  it("an Outpost error without an API code keeps Outpost's code", () => {
    expect(failureOf('wait_enrolled', new OutpostError('timeout', 'did not join'))).toEqual({ step: 'wait_enrolled', code: 'timeout', message: 'did not join' });
  });

  it('keeps what to do (the hint) for the step_failed event, and adds none when there is none', () => {
    const err = new OutpostError('forbidden', 'the OAuth client lacks a scope', { hint: 'Give the client the auth_keys scope.' });
    expect(failureOf('mint_key', err)).toEqual({ step: 'mint_key', code: 'forbidden', message: err.message, hint: 'Give the client the auth_keys scope.' });
    expect(failureOf('mint_key', new OutpostError('forbidden', 'no'))).not.toHaveProperty('hint');
  });

  it('anything else is internal, with its message (an Error) or its text (a thrown value)', () => {
    expect(failureOf('mint_key', new TypeError('boom'))).toEqual({ step: 'mint_key', code: 'internal', message: 'boom' });
    expect(failureOf('mint_key', 'plain text')).toEqual({ step: 'mint_key', code: 'internal', message: 'plain text' });
  });
});
