// The headers every answer of the panel's servers carries: browser mode (web-server.ts) and the team
// server (team/team-server.ts) serve the same renderer and the same API, so they share one list.
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Browser mode's secret is in every URL, a team server's sign-in link token in a fragment: neither
  // may leave in a Referer.
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cross-Origin-Opener-Policy': 'same-origin',
};
