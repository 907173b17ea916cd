// The built renderer's files (index.html, assets), served under the security headers by browser mode
// and the team server. Paths are resolved inside the renderer's folder or refused (safe-path.ts).
import type { ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { contentTypeFor, resolveInside } from '../core/safe-path';
import { envelope, sendJson } from './respond';
import { SECURITY_HEADERS } from './security-headers';

/** `route`: the path below the renderer's root, '' for index.html. `transform`: rewrites a text file before it is sent (the team server marks its index.html). */
export async function serveStatic(res: ServerResponse, rendererDir: string, route: string, transform?: (file: string, body: Buffer) => Buffer): Promise<void> {
  const file = resolveInside(rendererDir, route === '' ? 'index.html' : route);
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) return sendJson(res, 404, envelope('not_found', 'Not found.'));
  const raw = await readFile(file);
  const body = transform ? transform(file, raw) : raw;
  res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file), 'Content-Length': body.length });
  res.end(body);
}
