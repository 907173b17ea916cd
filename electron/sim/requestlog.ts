export interface LoggedRequest {
  seq: number;
  /** Epoch milliseconds when the request arrived. */
  ts: number;
  api: 'hetzner' | 'tailscale' | 'other';
  method: string;
  /** Path with query, as received. */
  path: string;
  status: number;
  /** Hetzner `error.code`, or Tailscale's error `message`; null on success. */
  code: string | null;
  latencyMs: number;
  /** Id of the injected fault that shaped this answer, if any. */
  fault: number | null;
  /** Set when the connection was reset or left hanging instead of answered. */
  outcome: 'answered' | 'reset' | 'hang';
  /** The response body as sent (only with `recordBodies`). */
  body?: string;
}

/** A bounded in-memory log: tests and benchmarks count requests and time a client's reactions. */
export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;

  constructor(private readonly limit = 20_000) {}

  add(entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const full = { seq: ++this.seq, ...entry };
    this.entries.push(full);
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
    return full;
  }

  since(seq: number): LoggedRequest[] {
    return this.entries.filter((e) => e.seq > seq);
  }

  get lastSeq(): number {
    return this.seq;
  }

  clear(): void {
    this.entries = [];
  }
}
