// Team users' names (issue 16). A name is shown in the panel, written into every audit entry the user
// causes and printed by `outpost users list` on a terminal, so a careless or hostile one must not carry
// anything that is not plainly visible text: no control characters (a newline forging a second audit
// line, an ESC sequence repainting a terminal), no format characters (a bidi override turning
// "alice" + U+202E + "nimda" into what reads as "aliceadmin", a zero-width joiner making a twin of
// another name), no line or paragraph separators.
import { OutpostError } from '../../../shared/errors';

export const MAX_NAME_LENGTH = 64;

// \p{C}: control (Cc), format (Cf — bidi controls, zero-width characters, the BOM), surrogate halves
// (Cs), private use (Co) and unassigned (Cn); Zl/Zp: U+2028 and U+2029, line breaks to YAML and JS.
const FORBIDDEN = /[\p{C}\p{Zl}\p{Zp}]/u;

const codePoint = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The name as it is stored and shown: NFC (one way to write "é"), trimmed, 1–64 characters. Refused
 * (invalid_input, naming the field) when it holds a character listed above — anywhere, the ends
 * included, since a newline at the end of a pasted name is as likely a mistake as a trick. The
 * message names the character by its code point and never quotes the name itself. Also used for an API
 * token's label, which is listed beside the name.
 */
export function normalizeUserName(input: unknown, field = 'name'): string {
  if (typeof input !== 'string') throw new OutpostError('invalid_input', `${field}: must be text.`);
  const bad = FORBIDDEN.exec(input);
  if (bad) {
    throw new OutpostError('invalid_input', `${field}: contains an invisible or control character (${codePoint(bad[0])}).`, {
      hint: 'Type the name again with letters, digits, spaces and punctuation only. Nothing was changed.',
    });
  }
  const name = input.normalize('NFC').trim();
  const length = [...name].length;
  if (length === 0) throw new OutpostError('invalid_input', `${field}: is empty.`, { hint: `Give 1 to ${MAX_NAME_LENGTH} characters.` });
  if (length > MAX_NAME_LENGTH) {
    throw new OutpostError('invalid_input', `${field}: has ${length} characters; at most ${MAX_NAME_LENGTH} are allowed.`, { hint: 'Use a shorter one.' });
  }
  return name;
}

/**
 * What makes two names the same person to a reader: compatibility forms folded (a full-width "Ａｎａ"
 * is "Ana"), case folded (upper then lower also folds "ß" with "SS"), runs of spaces made one. The
 * users table keeps it UNIQUE, so both engines refuse the twin the same way (SQLite's NOCASE folds
 * ASCII only, PostgreSQL's lower() depends on the database's locale).
 */
export function userNameKey(name: string): string {
  return name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC').replace(/\s+/gu, ' ');
}
