// The portable form of a store (issue 16 item 7: `outpost export` on a desktop, `outpost import` on a
// team server). JSON Lines, so a large store is never one JSON value and a damaged file says which
// line is wrong:
//   line 1      the header: format and its version, the source store's id, its schema version, the
//               row count of every table;
//   then        one line per row, {"table": …, "row": {column: value}}, tables in TRANSFER_TABLES order
//               (parents before the rows that point at them, so an import inserts in file order);
//   last line   the seal: the number of row lines and the SHA-256 of every line before it, so a file
//               cut short, or edited by hand, is refused as a whole instead of half-imported.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { OutpostError } from '../../../../shared/errors';
import type { Tables } from '../tables';

export const EXPORT_FORMAT = 'outpost-store-export';
export const EXPORT_FORMAT_VERSION = 1;

/**
 * What moves, parents first. Not moved: `meta` (the target keeps its own store id; imported VMs name
 * their creator in instances.origin_store instead), `catalog` (a cache of Hetzner's catalog the target
 * refreshes itself), and the team server's own people (users, invites, sessions, API tokens: added
 * there with `outpost users add`).
 */
export const TRANSFER_TABLES = ['agents', 'payments', 'jobs', 'job_events', 'instances', 'audit_log', 'webhook_events'] as const satisfies readonly (keyof Tables)[];
export type TransferTable = (typeof TRANSFER_TABLES)[number];

/** A row as the store's drivers hand it over: text, numbers (flags as 0/1) and nulls only. */
export type TransferRow = Record<string, string | number | null>;
export type TransferRows = { [T in TransferTable]: TransferRow[] };
export type TransferCounts = Record<TransferTable, number>;

/** A job in one of these states may still be run by the store that holds it: never moved. */
export const UNFINISHED_JOB_STATUSES = ['queued', 'running', 'compensating'] as const;

const Counts = z.object(Object.fromEntries(TRANSFER_TABLES.map((t) => [t, z.number().int().nonnegative()])) as Record<TransferTable, z.ZodNumber>).strict();

export const ExportHeader = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    formatVersion: z.number().int(),
    sourceStoreId: z.string().min(1).max(64),
    /** The source's engine and, for a desktop's SQLite file, its mode (sandbox and live never mix). */
    engine: z.enum(['sqlite', 'postgres']),
    mode: z.enum(['sandbox', 'live']).nullable(),
    schemaVersion: z.number().int().positive(),
    outpostVersion: z.string(),
    exportedAt: z.string(),
    counts: Counts,
  })
  .strict();
export type ExportHeader = z.infer<typeof ExportHeader>;

const Seal = z.object({ end: z.literal(true), rows: z.number().int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict();
const RowLine = z
  .object({
    table: z.enum(TRANSFER_TABLES),
    row: z.record(z.string().regex(/^[a-z_][a-z0-9_]*$/), z.union([z.string(), z.number(), z.null()])),
  })
  .strict();

export const emptyCounts = (): TransferCounts => Object.fromEntries(TRANSFER_TABLES.map((t) => [t, 0])) as TransferCounts;
export const emptyRows = (): TransferRows => Object.fromEntries(TRANSFER_TABLES.map((t) => [t, []])) as unknown as TransferRows;

/** The file's text: header, rows in table order, seal. Each line ends with '\n'. */
export function encodeExport(header: ExportHeader, rows: TransferRows): string {
  const lines = [JSON.stringify(header)];
  for (const table of TRANSFER_TABLES) for (const row of rows[table]) lines.push(JSON.stringify({ table, row }));
  return seal(lines);
}

/** Lines (without their '\n') followed by the seal line over them. */
export function seal(lines: readonly string[]): string {
  const body = lines.map((l) => `${l}\n`).join('');
  const sha256 = createHash('sha256').update(body).digest('hex');
  return `${body}${JSON.stringify({ end: true, rows: lines.length - 1, sha256 })}\n`;
}

/** The file is not what `outpost export` wrote: cut short, edited, or not an export at all. */
export class DamagedExport extends OutpostError {
  constructor(
    readonly line: number,
    what: string,
  ) {
    super('corrupt', `The export file is damaged at line ${line}: ${what}. Nothing was imported.`, {
      hint: 'Export the store again on the desktop (outpost export --out FILE) and copy the file whole (scp, rsync); never edit it.',
    });
    this.name = 'DamagedExport';
  }
}

/** Reads and checks a whole export: the seal first (so no row of a damaged file is even looked at), then every line. */
export function parseExport(text: string): { header: ExportHeader; rows: TransferRows } {
  const lines = text.split('\n');
  // A complete file ends with '\n': the split's last piece is empty.
  if (lines.length < 3 || lines.at(-1) !== '') throw new DamagedExport(Math.max(1, lines.length - (lines.at(-1) === '' ? 1 : 0)), 'it ends in the middle of a line (the file was cut short)');
  lines.pop();
  const header = parseHeader(lines[0]!);
  const sealAt = lines.length;
  const sealLine = Seal.safeParse(parseJson(lines[sealAt - 1]!, sealAt));
  if (!sealLine.success) throw new DamagedExport(sealAt, 'the last line is not the end mark (the file was cut short)');
  const rowLines = lines.slice(1, -1);
  if (sealLine.data.rows !== rowLines.length) throw new DamagedExport(sealAt, `the end mark counts ${sealLine.data.rows} rows, the file has ${rowLines.length}`);
  const sha256 = createHash('sha256')
    .update(lines.slice(0, -1).map((l) => `${l}\n`).join(''))
    .digest('hex');
  if (sha256 !== sealLine.data.sha256) throw new DamagedExport(sealAt, 'its checksum does not match its contents (the file was changed after export)');

  const rows = emptyRows();
  let tableIndex = 0;
  rowLines.forEach((text, i) => {
    const lineNo = i + 2;
    const parsed = RowLine.safeParse(parseJson(text, lineNo));
    if (!parsed.success) throw new DamagedExport(lineNo, 'not a table row');
    const { table, row } = parsed.data;
    const index = TRANSFER_TABLES.indexOf(table);
    if (index < tableIndex) throw new DamagedExport(lineNo, `a ${table} row after the ${TRANSFER_TABLES[tableIndex]} rows`);
    tableIndex = index;
    const first = rows[table][0];
    if (first && !sameColumns(first, row)) throw new DamagedExport(lineNo, `a ${table} row with other columns than the first`);
    rows[table].push(row);
  });
  for (const table of TRANSFER_TABLES) {
    if (rows[table].length !== header.counts[table]) throw new DamagedExport(1, `the header counts ${header.counts[table]} ${table} rows, the file has ${rows[table].length}`);
  }
  return { header, rows };
}

function parseHeader(line: string): ExportHeader {
  const json = ((): { format?: unknown; formatVersion?: unknown } | null => {
    try {
      return JSON.parse(line) as { format?: unknown; formatVersion?: unknown } | null;
    } catch {
      return null; // not JSON: not an export (refused below)
    }
  })();
  if (json?.format !== EXPORT_FORMAT) {
    throw new OutpostError('invalid_input', 'This file is not an Outpost store export (its first line does not say so).', {
      hint: 'Give outpost import the file `outpost export --out FILE` wrote.',
    });
  }
  if (json.formatVersion !== EXPORT_FORMAT_VERSION) {
    throw new OutpostError('invalid_input', `This export has format version ${String(json.formatVersion)}; this Outpost reads version ${EXPORT_FORMAT_VERSION}.`, {
      hint: 'Use the same Outpost version on the desktop that exports and on the server that imports.',
    });
  }
  const header = ExportHeader.safeParse(json);
  if (!header.success) throw new DamagedExport(1, 'the header is incomplete');
  return header.data;
}

function parseJson(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DamagedExport(line, 'not a whole JSON line');
  }
}

function sameColumns(a: TransferRow, b: TransferRow): boolean {
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => k in b);
}

/** Refuses unfinished jobs, on either side of a move: finishing them is the store's that started them. */
export function refuseUnfinishedJobs(jobs: readonly Partial<Record<'id' | 'status', unknown>>[], where: string): void {
  const open = jobs.filter((j) => (UNFINISHED_JOB_STATUSES as readonly unknown[]).includes(j.status));
  if (open.length === 0) return;
  const list = open
    .slice(0, 5)
    .map((j) => `${String(j.id)} (${String(j.status)})`)
    .join(', ');
  throw new OutpostError('conflict', `${where} has ${open.length} unfinished job${open.length === 1 ? '' : 's'}: ${list}${open.length > 5 ? ', …' : ''}. Nothing was moved.`, {
    hint: 'Finish or cancel them on the desktop first (open the app, or run `outpost resume` there), then export again: a half-run job must not be resumed by two places.',
  });
}
