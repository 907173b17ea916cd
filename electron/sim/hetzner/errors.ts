import type { Reply } from '../http';

/** Thrown by handlers; rendered as the Hetzner error envelope with `details` always present. */
export class HetznerError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

export function errorReply(status: number, code: string, message: string, details: unknown = null): Reply {
  return { status, body: { error: { code, message, details } }, code };
}

export const invalidInput = (field: string, messages: string[], message = `invalid input in field '${field}'`) =>
  new HetznerError(422, 'invalid_input', message, { fields: [{ name: field, messages }] });

export const notFound = (kind: string, id: string | number) => new HetznerError(404, 'not_found', `${kind} with ID '${id}' not found`);
