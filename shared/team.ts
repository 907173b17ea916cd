// The desktop app as a client of a team server (issue 16 item 6): what the renderer may send to
// connect, and what it may learn back. The API token goes in and never comes out: the status says
// only whether one is stored (like shared/tokens.ts for the clouds' tokens).
import { z } from 'zod';
import { ROLES } from './domain';

/** `outpost users token` prints tokens with this prefix (electron/core/auth/tokens.ts API_TOKEN_PREFIX). */
export const TEAM_TOKEN_PREFIX = 'outpost_pat_';

export const TeamStatusSchema = z.object({
  /** The server's address (origin only), or null in solo mode. Not secret. */
  url: z.string().nullable(),
  tokenStored: z.boolean(),
  /** A URL and a token are saved: every shared channel goes to the server. */
  connected: z.boolean(),
  /** The last call or event stream reached the server (null: not tried since start). */
  reachable: z.boolean().nullable(),
  /** One secret-free sentence about the last failure, or null. */
  message: z.string().nullable(),
  /** Who the token signs in as, from the server's app:info at connect (null before). */
  role: z.enum(ROLES).nullable(),
  /** ISO time of the last change of `reachable`. */
  checkedAt: z.string().nullable(),
});
export type TeamStatus = z.infer<typeof TeamStatusSchema>;

export const TeamConnectRequest = z
  .object({
    /** https://host[:port]; http only for 127.0.0.1 / localhost (tests). Checked again in core (team-client/url.ts). */
    url: z.string().trim().min(1, 'enter the team server address').max(2048),
    token: z
      .string({ error: 'The API token is missing.' })
      .trim()
      .min(1, 'The API token is empty.')
      .max(512, 'The API token is too long.')
      // One pattern (prefix and visible ASCII): a token never has a space or line break, which an HTTP
      // header's error could otherwise quote back; and the schema-derived fuzzer can generate it.
      .regex(/^outpost_pat_[\x21-\x7e]+$/, `An API token starts with ${TEAM_TOKEN_PREFIX} and has no spaces or line breaks (make one with \`outpost users token\`).`),
  })
  .strict();
