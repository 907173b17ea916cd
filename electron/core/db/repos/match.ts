// Text search shared by the repositories. People type part of a name in any case ("ada" for "Ada
// Lovelace"). SQLite's LIKE ignores ASCII case but PostgreSQL's does not, so both sides are lowered
// and the match reads the same on either engine; `\`, `%` and `_` typed by the user match themselves.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/** `%text%` with LIKE's wildcards and its escape character escaped: they match themselves. */
const containsPattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** `column` contains `text`, ignoring case: `lower(column) LIKE lower('%text%') ESCAPE '\'`. NULL never matches. */
export function containsInsensitive(column: Expression<string | null>, text: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(${column}) LIKE lower(${containsPattern(text)}) ESCAPE '\\'`;
}

/**
 * The same for a column stored folded (lower case, no accents: the fleet's search text) and a text
 * folded the same way: no lower() per row, which is a third of the cost of reading 100,000 of them.
 */
export function containsFolded(column: Expression<string | null>, folded: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`${column} LIKE ${containsPattern(folded)} ESCAPE '\\'`;
}
