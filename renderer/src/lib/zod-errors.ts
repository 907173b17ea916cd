// Inline validation from the contract's own zod schemas: the first message per top-level field.
import type { z } from 'zod';

export function fieldErrors(schema: z.ZodType, values: unknown): Record<string, string> {
  const result = schema.safeParse(values);
  if (result.success) return {};
  const out: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const key = String(issue.path[0] ?? '_');
    out[key] ??= issue.message;
  }
  return out;
}

/** Drops empty optional strings so `customer: ''` means "absent", as the schema expects. */
export function withoutEmpty<T extends Record<string, unknown>>(values: T, optional: readonly (keyof T)[]): Partial<T> {
  const out: Partial<T> = { ...values };
  for (const key of optional) if (typeof out[key] === 'string' && (out[key] as string).trim() === '') delete out[key];
  return out;
}
