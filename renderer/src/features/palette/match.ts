// What the palette's query matches: every whitespace-separated part of the query must appear in one
// of an entry's fields, ignoring case and accents ("jose" finds "José", "JOSÉ" finds "josé"), and a
// part of an address matches as typed ("10.0.3" finds 10.0.3.7, "2a01:4f8" an IPv6).

import { foldText } from '../../../../shared/fleet-query';

/** Lower case without combining marks, so accented and plain letters compare equal (as the store's fleet search folds). */
export const fold = foldText;

/** The query's parts, folded; empty when the query is blank. */
export const queryParts = (query: string): string[] => fold(query).split(/\s+/).filter(Boolean);

/**
 * The fields of one entry, folded once, one per line: a part never matches across two fields
 * (parts hold no whitespace, so they cannot span the newline).
 */
export const haystack = (fields: readonly (string | null | undefined)[]): string => fold(fields.filter((f): f is string => !!f).join('\n'));

export const matches = (parts: readonly string[], hay: string): boolean => parts.every((p) => hay.includes(p));
