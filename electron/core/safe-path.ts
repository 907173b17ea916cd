// Maps a URL path onto a file under a root directory, or refuses. Shared by the app:// protocol
// (Electron) and browser mode's static files, the two places that serve the renderer from disk.
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/** The file for `urlPath` inside `root`, or null when the path is malformed or escapes the root. */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null; // malformed percent-encoding
  }
  // A second encoding layer (%252e) or any control character means someone is probing.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  if (/%[0-9a-f]{2}/i.test(decoded) || /[\0-\x1f\\]/.test(decoded)) return null;
  const segments = decoded.split('/').filter((s) => s.length > 0);
  if (segments.some((s) => s === '..' || s === '.')) return null;
  const absoluteRoot = resolve(root);
  const target = resolve(absoluteRoot, ...segments);
  const rel = relative(absoluteRoot, target);
  if (rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return null;
  return target;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

export const contentTypeFor = (file: string): string => MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
