// User-data carries the auth key in clear; this is the form that may be shown or logged.
const AUTH_KEY = /tskey-auth-[A-Za-z0-9-]+/g;

export function redactUserData(text: string): string {
  return text.replace(AUTH_KEY, 'tskey-auth-…[redacted]');
}
