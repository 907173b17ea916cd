import { gunzipSync } from 'node:zlib';
import { parse as parseYaml } from 'yaml';

// Reads a server's user_data the way first boot would and finds the Tailscale join: the
// `tailscale up` command (in runcmd, or in a script that runcmd or a shell part runs), its auth key
// (inline, or `file:` / `$(cat …)` pointing at a write_files entry), --hostname and --advertise-tags.

export interface JoinSpec {
  authKey: string;
  keySource: 'inline' | 'file';
  /** `--hostname`, else cloud-config `hostname`/`fqdn`, else null (the server name is used). */
  hostname: string | null;
  /** `--advertise-tags` with the optional `tag:` prefix restored; null when not given. */
  advertiseTags: string[] | null;
  ssh: boolean;
}

export type BootPlan = { ok: true; join: JoinSpec } | { ok: false; reason: string };

interface Document {
  files: Map<string, string>;
  shell: string[];
  hostname: string | null;
}

function splitMime(text: string): string[] | null {
  const header = /^(?:[\w-]+:[^\n]*\n)*?content-type:\s*multipart\/[\w-]+;[^\n]*boundary="?([^";\r\n]+)"?/im.exec(text.slice(0, 2000));
  if (!header || !/^(mime-version|content-type)/i.test(text.trimStart())) return null;
  const boundary = header[1] as string;
  const parts = text.split(`--${boundary}`).slice(1);
  const out: string[] = [];
  for (const part of parts) {
    if (part.startsWith('--')) break;
    const normalised = part.replace(/\r\n/g, '\n').replace(/^\n/, '');
    const split = normalised.indexOf('\n\n');
    if (split < 0) continue;
    const headers = normalised.slice(0, split);
    let body = normalised.slice(split + 2).replace(/\n$/, '');
    if (/content-transfer-encoding:\s*base64/i.test(headers)) body = Buffer.from(body, 'base64').toString('utf8');
    const type = /content-type:\s*([\w/+.-]+)/i.exec(headers)?.[1]?.toLowerCase();
    if (type === 'text/cloud-config' && !body.startsWith('#cloud-config')) body = `#cloud-config\n${body}`;
    if (type === 'text/x-shellscript' && !body.startsWith('#!')) body = `#!/bin/sh\n${body}`;
    out.push(body);
  }
  return out;
}

function decodeFile(entry: Record<string, unknown>): string {
  const content = typeof entry.content === 'string' ? entry.content : '';
  const encoding = typeof entry.encoding === 'string' ? entry.encoding.toLowerCase() : 'text/plain';
  if (encoding === 'b64' || encoding === 'base64') return Buffer.from(content, 'base64').toString('utf8');
  if (['gz+b64', 'gzip+base64', 'gz+base64', 'gzip+b64'].includes(encoding)) return gunzipSync(Buffer.from(content, 'base64')).toString('utf8');
  return content;
}

const quote = (word: string) => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);

function readCloudConfig(text: string): Document | string {
  let config: unknown;
  try {
    config = parseYaml(text);
  } catch (error) {
    return `cloud-config is not valid YAML: ${(error as Error).message.split('\n')[0]}`;
  }
  const doc: Document = { files: new Map(), shell: [], hostname: null };
  if (typeof config !== 'object' || config === null) return doc;
  const c = config as Record<string, unknown>;
  if (Array.isArray(c.write_files)) {
    for (const entry of c.write_files as unknown[]) {
      if (entry && typeof entry === 'object' && typeof (entry as { path?: unknown }).path === 'string') {
        doc.files.set((entry as { path: string }).path, decodeFile(entry as Record<string, unknown>));
      }
    }
  }
  for (const key of ['bootcmd', 'runcmd']) {
    const list = c[key];
    if (!Array.isArray(list)) continue;
    for (const item of list as unknown[]) {
      if (typeof item === 'string') doc.shell.push(item);
      else if (Array.isArray(item)) doc.shell.push(item.map((w) => quote(String(w))).join(' '));
    }
  }
  const host = typeof c.hostname === 'string' ? c.hostname : typeof c.fqdn === 'string' ? c.fqdn.split('.')[0] : null;
  doc.hostname = host ?? null;
  return doc;
}

/** Shell words with quotes removed; `$( … )` stays one word. Enough for `tailscale up` lines. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (ch === "'") {
      const end = line.indexOf("'", i + 1);
      word += line.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? line.length : end;
      inWord = true;
    } else if (ch === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        word += line[j];
        j++;
      }
      i = j;
      inWord = true;
    } else if (ch === '$' && line[i + 1] === '(') {
      let depth = 0;
      let j = i;
      for (; j < line.length; j++) {
        if (line[j] === '(') depth++;
        if (line[j] === ')' && --depth === 0) break;
      }
      word += line.slice(i, j + 1);
      i = j;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

/** Splits a script into simple commands: continuations joined, then `;`, `&&`, `||`, `|` outside quotes. */
function commands(script: string): string[][] {
  const joined = script.replace(/\\\r?\n/g, ' ');
  const out: string[][] = [];
  for (const line of joined.split(/\r?\n/)) {
    if (/^\s*#/.test(line)) continue;
    for (const part of line.split(/\s*(?:&&|\|\||;|\|)\s*/)) {
      const words = shellWords(part);
      if (words.length > 0) out.push(words);
    }
  }
  return out;
}

interface UpFlags {
  authKey: string | null;
  hostname: string | null;
  tags: string[] | null;
  ssh: boolean;
}

function parseUp(words: string[]): UpFlags | null {
  const at = words.findIndex((w, i) => (w === 'tailscale' || w.endsWith('/tailscale')) && words[i + 1] === 'up');
  if (at < 0) return null;
  const flags: UpFlags = { authKey: null, hostname: null, tags: null, ssh: false };
  const args = words.slice(at + 2);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const m = /^--?([\w-]+)(?:=(.*))?$/s.exec(arg);
    if (!m) continue;
    const name = m[1] as string;
    const takesValue = ['auth-key', 'authkey', 'hostname', 'advertise-tags'].includes(name);
    const value = m[2] ?? (takesValue ? args[++i] ?? '' : 'true');
    if (name === 'auth-key' || name === 'authkey') flags.authKey = value;
    else if (name === 'hostname') flags.hostname = value;
    else if (name === 'advertise-tags') flags.tags = value === '' ? [] : value.split(',').map((t) => (t.startsWith('tag:') ? t : `tag:${t}`));
    else if (name === 'ssh') flags.ssh = value !== 'false';
  }
  return flags;
}

export function planBoot(userData: string | null): BootPlan {
  if (userData === null || userData.trim() === '') return { ok: false, reason: 'no user_data: nothing runs tailscale up' };
  const texts = splitMime(userData) ?? [userData];
  const files = new Map<string, string>();
  const scripts: string[] = [];
  let cloudHostname: string | null = null;
  for (const text of texts) {
    if (text.startsWith('#cloud-config')) {
      const doc = readCloudConfig(text);
      if (typeof doc === 'string') return { ok: false, reason: doc };
      doc.files.forEach((content, path) => files.set(path, content));
      scripts.push(...doc.shell);
      cloudHostname = doc.hostname ?? cloudHostname;
    } else if (text.startsWith('#!')) {
      scripts.push(text);
    }
  }
  if (scripts.length === 0) return { ok: false, reason: 'user_data is neither #cloud-config with runcmd nor a shell script' };

  // Scripts written by write_files run when something refers to their path (runcmd, another script).
  const queue = [...scripts];
  const seen = new Set<string>();
  let up: UpFlags | null = null;
  while (queue.length > 0 && !up) {
    const script = queue.shift() as string;
    for (const words of commands(script)) {
      // `sh -c '…'` (a common runcmd form) carries a whole script in one word.
      if (/(^|\/)(ba|da|z)?sh$/.test(words[0] ?? '') && words[1] === '-c' && words[2] !== undefined) queue.push(words[2]);
      up = parseUp(words);
      if (up) break;
    }
    for (const [path, content] of files) {
      if (!seen.has(path) && script.includes(path)) {
        seen.add(path);
        queue.push(content);
      }
    }
  }
  if (!up) return { ok: false, reason: 'no `tailscale up` command found in user_data' };
  if (up.authKey === null || up.authKey === '') return { ok: false, reason: '`tailscale up` has no --auth-key: the node would wait for interactive login' };

  let authKey = up.authKey;
  let keySource: JoinSpec['keySource'] = 'inline';
  const fileRef = /^file:(.+)$/.exec(authKey)?.[1] ?? /^\$\(\s*cat\s+(\S+)\s*\)$/.exec(authKey)?.[1];
  if (fileRef !== undefined) {
    const content = files.get(fileRef);
    if (content === undefined) return { ok: false, reason: `auth key file ${fileRef} is not written by write_files` };
    authKey = content.trim();
    keySource = 'file';
  } else if (authKey.startsWith('$')) {
    return { ok: false, reason: `auth key comes from ${authKey}, which the simulator cannot resolve` };
  }
  return { ok: true, join: { authKey, keySource, hostname: up.hostname ?? cloudHostname, advertiseTags: up.tags, ssh: up.ssh } };
}
