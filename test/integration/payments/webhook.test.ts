// The payments webhook end to end, over HTTP, against the simulated clouds: a signed delivery
// provisions exactly as payments:record does (same guard, same audit, same UNIQUE reference); every
// refused delivery changes nothing; a repeated event id gets its first answer back; and however a
// payment arrives — two event ids at once and a hand-typed record — it makes one job and one server.
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Req } from '../../../shared/contract';
import { OutpostError } from '../../../shared/errors';
import { WEBHOOK_PATH, WEBHOOK_TOLERANCE_SECONDS } from '../../../shared/webhook';
import { storeFile } from '../../../electron/boot/runtime';
import { Store } from '../../../electron/core/db/store';
import type { Handlers } from '../../../electron/core/dispatch';
import { createLogger } from '../../../electron/core/log';
import { createPaymentWebhook, WEBHOOK_RETENTION_MS, WEBHOOK_STALE_CLAIM_MS } from '../../../electron/core/payments/webhook/receive';
import { webhookSecretsFrom } from '../../../electron/core/payments/webhook/secret';
import { signatureHeader } from '../../../electron/core/payments/webhook/signature';
import { SseHub } from '../../../electron/server/sse';
import { startWebServer, type RunningWebServer } from '../../../electron/server/web-server';
import { startHarness, type Harness } from '../../fixtures/pipeline';
import { storeHash } from '../../fixtures/store-hash';

// A canary: it must never appear in a log line or an answer.
const SECRET = `canary-${randomBytes(24).toString('hex')}`;
const OTHER_SECRET = randomBytes(32).toString('hex');

let h: Harness;
let server: RunningWebServer;
let now = Date.UTC(2026, 4, 1, 12, 0, 0);
const clock = { now: () => now };
const logLines: string[] = [];
const answers: string[] = [];

beforeAll(async () => {
  h = await startHarness({ seed: 41 });
  const log = createLogger({ level: 'debug', sink: (line) => logLines.push(line) });
  const secrets = webhookSecretsFrom({ OUTPOST_WEBHOOK_SECRET: SECRET })!;
  const webhook = createPaymentWebhook({ store: h.runtime.store, handlers: h.runtime.handlers, clock, secrets, log });
  server = await startWebServer({ handlers: h.runtime.handlers, hub: new SseHub(), rendererDir: join(h.dir, 'no-renderer'), webhook, clock, log });
});

afterAll(async () => {
  await server?.close();
  await h?.close();
});

// Each test starts in a fresh window of the failure limit (20 refusals a minute per source).
beforeEach(() => {
  now += 61_000;
});

const seconds = () => Math.floor(now / 1000);
let counter = 0;
const unique = (prefix: string) => `${prefix}-${++counter}-${randomBytes(3).toString('hex')}`;

const paymentData = (reference: string, extra: Partial<Req<'payments:record'>> = {}): Req<'payments:record'> => ({
  reference,
  customer: 'Ada',
  amount: 19.9,
  currency: 'EUR',
  plan: 'cx22',
  region: 'fsn1',
  ...extra,
});
const paymentEvent = (id: string, data: unknown) => ({ id, type: 'payment.succeeded', data });

interface Sent {
  status: number;
  body: Record<string, unknown> & { error?: { code: string; message: string } };
  headers: Headers;
  text: string;
}

async function deliver(body: unknown, options: { t?: number; secret?: string; header?: string | null; contentType?: string; method?: string } = {}): Promise<Sent> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const header = options.header === undefined ? signatureHeader(options.secret ?? SECRET, options.t ?? seconds(), raw) : options.header;
  const res = await fetch(server.webhookUrl!, {
    method: options.method ?? 'POST',
    headers: { 'content-type': options.contentType ?? 'application/json', ...(header === null ? {} : { 'Outpost-Signature': header }) },
    ...(options.method === 'GET' ? {} : { body: raw }),
  });
  const text = await res.text();
  answers.push(text, JSON.stringify([...res.headers]));
  return { status: res.status, body: JSON.parse(text) as Sent['body'], headers: res.headers, text };
}

const jobsOf = async (paymentId: string) => (await h.runtime.store.jobs.list({ limit: 10_000 })).filter((j) => j.paymentId === paymentId);
const serversOfJobs = async (jobIds: string[]) => (await h.control.state()).servers.filter((s) => jobIds.includes(s.labels['outpost.job'] ?? '') && s.status !== 'deleting');
const auditFor = async (reference: string) => (await h.runtime.store.audit.list({ action: 'payments:record', limit: 10_000 })).filter((a) => a.target === reference);
// The catalog refreshes in the background; everything else must stay exactly as it was.
const hash = () => storeHash(h.runtime.store, ['catalog']);

describe('a signed delivery', () => {
  it('records the payment as payments:record does, provisions one server, and is audited as the webhook', async () => {
    const reference = unique('WH-OK');
    const sent = await deliver(paymentEvent(unique('evt'), paymentData(reference, { contact: 'ada@example.com' })));
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ ok: true, outcome: 'recorded', payment: { reference, status: 'provisioning' } });
    expect(sent.body.duplicate).toBeUndefined();
    const payment = (await h.runtime.store.payments.byReference(reference))!;
    expect(payment).toMatchObject({ customer: 'Ada', amountCents: 1990, contact: 'ada@example.com', plan: 'cx22', region: 'fsn1' });
    const [job] = await jobsOf(payment.id);
    expect(job?.id).toBe(payment.jobId);
    expect((await h.settle(job!.id)).status).toBe('succeeded');
    const servers = await serversOfJobs([job!.id]);
    expect(servers).toHaveLength(1);
    expect(servers[0]!.labels['outpost.payment']).toBe(reference);
    expect(await auditFor(reference)).toEqual([
      expect.objectContaining({ actor: 'webhook', role: 'payments', outcome: 'ok', targetName: 'Ada', detail: expect.objectContaining({ transport: 'webhook' }) }),
    ]);
  });

  it('is its own principal: a desktop switched to the support role still takes webhook payments', async () => {
    h.settings.set('role', 'support');
    try {
      await expect(h.api.call('payments:record', paymentData(unique('WH-HAND')))).rejects.toMatchObject({ code: 'read_only' });
      const sent = await deliver(paymentEvent(unique('evt'), paymentData(unique('WH-SUPPORT'))));
      expect(sent.status).toBe(200);
      await h.settle((await h.runtime.store.payments.byReference(String((sent.body.payment as { reference: string }).reference)))!.jobId!);
    } finally {
      h.settings.set('role', 'operator');
    }
  });

  it(`accepts a timestamp up to ${WEBHOOK_TOLERANCE_SECONDS} s behind or ahead of the clock`, async () => {
    for (const t of [seconds() - WEBHOOK_TOLERANCE_SECONDS, seconds() + WEBHOOK_TOLERANCE_SECONDS]) {
      const sent = await deliver(paymentEvent(unique('evt'), paymentData(unique('WH-EDGE'))), { t });
      expect(sent.status).toBe(200);
      await h.settle((sent.body.payment as { jobId: string }).jobId);
    }
  });
});

describe('a refused delivery changes nothing', () => {
  const raw = () => JSON.stringify(paymentEvent(unique('evt'), paymentData(unique('WH-BAD'))));
  const flipLast = (hex: string) => hex.slice(0, -1) + (hex.endsWith('0') ? '1' : '0');
  const cases: { name: string; make: () => { body: string; header: string | null } }[] = [
    { name: 'no signature header', make: () => ({ body: raw(), header: null }) },
    { name: 'a malformed header', make: () => ({ body: raw(), header: `t=${seconds()},v1=xyz` }) },
    { name: 'the wrong secret', make: () => ((body) => ({ body, header: signatureHeader(OTHER_SECRET, seconds(), body) }))(raw()) },
    { name: 'a tampered body', make: () => ({ body: raw(), header: signatureHeader(SECRET, seconds(), raw()) }) },
    { name: 'a stale timestamp', make: () => ((body) => ({ body, header: signatureHeader(SECRET, seconds() - WEBHOOK_TOLERANCE_SECONDS - 1, body) }))(raw()) },
    { name: 'a future timestamp', make: () => ((body) => ({ body, header: signatureHeader(SECRET, seconds() + WEBHOOK_TOLERANCE_SECONDS + 1, body) }))(raw()) },
    {
      // Right in every digit but the last: a compare of only a prefix would let it through.
      name: 'a signature wrong only in its last digit',
      make: () => ((body) => ({ body, header: flipLast(signatureHeader(SECRET, seconds(), body)) }))(raw()),
    },
    {
      // The signed timestamp is part of what is signed: moving t invalidates the signature.
      name: 'a fresh t on an old signature',
      make: () =>
        ((body) => {
          const old = signatureHeader(SECRET, seconds() - 1_000, body);
          return { body, header: old.replace(/^t=\d+/, `t=${seconds()}`) };
        })(raw()),
    },
  ];
  for (const c of cases) {
    it(`answers 401 to ${c.name}, without repeating the signature`, async () => {
      const { body, header } = c.make();
      const before = await hash();
      const sent = await deliver(body, { header });
      expect(sent.status).toBe(401);
      expect(sent.body.error?.code).toBe('unauthorized');
      expect(await hash()).toBe(before);
      const v1 = header?.match(/v1=([0-9a-f]+)/)?.[1];
      if (v1) expect(sent.text).not.toContain(v1);
    });
  }

  it('answers 400 naming the field of an invalid event, and records nothing', async () => {
    const before = await hash();
    const bad: [unknown, string][] = [
      [paymentEvent(unique('evt'), paymentData(unique('WH-AMT'), { amount: 19.999 })), 'data.amount'],
      [paymentEvent(unique('evt'), { ...paymentData(unique('WH-PLAN')), plan: undefined }), 'data.plan'],
      [{ ...paymentEvent(unique('evt'), paymentData(unique('WH-TYPE'))), type: 'payment.refunded' }, 'type'],
      [{ type: 'payment.succeeded', data: paymentData(unique('WH-NOID')) }, 'id'],
      ['{"id": "evt-1", ', 'body'],
    ];
    for (const [body, field] of bad) {
      const sent = await deliver(body);
      expect(sent.status, field).toBe(400);
      expect(sent.body.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(new RegExp(`^${field.replace('.', '\\.')}:`)) });
    }
    expect(await hash()).toBe(before);
  });

  it('answers 400 (refused, kept) when payments:record refuses the payment, audited like any refusal', async () => {
    const reference = unique('WH-REGION');
    const id = unique('evt');
    const sent = await deliver(paymentEvent(id, paymentData(reference, { region: 'nowhere1' })));
    expect(sent.status).toBe(400);
    expect(sent.body).toMatchObject({ outcome: 'refused', error: { code: 'invalid_input' } });
    expect(await h.runtime.store.payments.byReference(reference)).toBeUndefined();
    expect(await auditFor(reference)).toEqual([expect.objectContaining({ actor: 'webhook', outcome: 'refused' })]);
    expect((await deliver(paymentEvent(id, paymentData(reference, { region: 'nowhere1' })))).body).toMatchObject({ outcome: 'refused', duplicate: true });
  });

  it('refuses other methods, other content types and oversized bodies before reading them', async () => {
    const before = await hash();
    expect((await deliver('', { method: 'GET', header: null })).status).toBe(405);
    expect((await deliver(raw(), { contentType: 'text/plain' })).status).toBe(415);
    const huge = JSON.stringify(paymentEvent(unique('evt'), paymentData(unique('WH-BIG'), { note: 'x'.repeat(70 * 1024) })));
    expect((await deliver(huge)).status).toBe(413);
    expect(await hash()).toBe(before);
  });
});

describe('replay', () => {
  it('answers a repeated delivery with its first answer, marked duplicate, and records nothing new', async () => {
    const id = unique('evt');
    const body = JSON.stringify(paymentEvent(id, paymentData(unique('WH-REPLAY'))));
    const t = seconds();
    const first = await deliver(body, { t });
    expect(first.body.outcome).toBe('recorded');
    const jobId = (first.body.payment as { jobId: string }).jobId;
    await h.settle(jobId);
    const before = await hash();
    const again = await deliver(body, { t });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, duplicate: true });
    expect(await hash()).toBe(before);
    // A sender that re-signs its retry (fresh t, same id) long after gets the same answer.
    now += 2 * WEBHOOK_TOLERANCE_SECONDS * 1000 + 60_000;
    const resigned = await deliver(body);
    expect(resigned.body).toEqual({ ...first.body, duplicate: true });
    expect(await hash()).toBe(before);
  });

  it('keeps a conflict as the answer: the same reference with other details is 409, again and again', async () => {
    const reference = unique('WH-CONFLICT');
    const ok = await deliver(paymentEvent(unique('evt'), paymentData(reference)));
    await h.settle((ok.body.payment as { jobId: string }).jobId);
    const id = unique('evt');
    const clash = await deliver(paymentEvent(id, paymentData(reference, { amount: 29.9 })));
    expect(clash.status).toBe(409);
    expect(clash.body).toMatchObject({ outcome: 'conflict', error: { code: 'conflict', message: expect.stringContaining('amount') } });
    const again = await deliver(paymentEvent(id, paymentData(reference, { amount: 29.9 })));
    expect(again.status).toBe(409);
    expect(again.body.duplicate).toBe(true);
    expect(await jobsOf((await h.runtime.store.payments.byReference(reference))!.id)).toHaveLength(1);
  });

  it('forgets an event id only after the retention, which is far beyond twice the tolerance', async () => {
    expect(WEBHOOK_RETENTION_MS).toBeGreaterThanOrEqual(2 * WEBHOOK_TOLERANCE_SECONDS * 1000);
    const id = unique('evt');
    const sent = await deliver(paymentEvent(id, paymentData(unique('WH-OLD'))));
    await h.settle((sent.body.payment as { jobId: string }).jobId);
    now += WEBHOOK_RETENTION_MS - 60_000;
    await deliver('not json'); // a refused delivery prunes nothing
    expect(await h.runtime.store.webhookEvents.get(id)).not.toBeNull();
    const other = await deliver(paymentEvent(unique('evt'), paymentData(unique('WH-NEW'))));
    expect(await h.runtime.store.webhookEvents.get(id)).not.toBeNull();
    now += 120_000;
    const later = await deliver(paymentEvent(unique('evt'), paymentData(unique('WH-NEWER'))));
    expect(await h.runtime.store.webhookEvents.get(id)).toBeNull();
    await Promise.all([other, later].map((s) => h.settle((s.body.payment as { jobId: string }).jobId)));
  });
});

describe('exactly once', () => {
  it('makes one job and one server of one payment sent as two events at once and typed in at the same time', async () => {
    const reference = unique('WH-RACE');
    const data = paymentData(reference);
    const [a, b, typed] = await Promise.all([
      deliver(paymentEvent(unique('evt'), data)),
      deliver(paymentEvent(unique('evt'), data)),
      h.api.call('payments:record', data),
    ]);
    const outcomes = [a.body.outcome, b.body.outcome, typed.created ? 'recorded' : 'already_recorded'];
    expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'already_recorded')).toHaveLength(2);
    const payment = (await h.runtime.store.payments.byReference(reference))!;
    const jobs = await jobsOf(payment.id);
    expect(jobs).toHaveLength(1);
    expect((await h.settle(jobs[0]!.id)).status).toBe('succeeded');
    expect(await serversOfJobs(jobs.map((j) => j.id))).toHaveLength(1);
  });

  it('lets one of two store connections (as two processes) claim an event id', async () => {
    const second = await Store.open(storeFile(h.dir, 'live'));
    try {
      const at = new Date(now).toISOString();
      const stale = new Date(now - WEBHOOK_STALE_CLAIM_MS).toISOString();
      const id = unique('evt');
      const wins = await Promise.all([h.runtime.store.webhookEvents.claim(id, 'R', at, stale), second.webhookEvents.claim(id, 'R', at, stale)]);
      expect(wins.filter(Boolean)).toHaveLength(1);
      await h.runtime.store.webhookEvents.release(id);
    } finally {
      await second.close();
    }
  });

  it('releases the claim when recording fails on our side (503), so the retry records it once', async () => {
    const failing: Handlers = {
      ...h.runtime.handlers,
      'payments:record': async () => {
        throw new OutpostError('unavailable', 'The store is busy.');
      },
    };
    const broken = createPaymentWebhook({ store: h.runtime.store, handlers: failing, clock, secrets: [SECRET], log: createLogger({ level: 'silent' }) });
    const id = unique('evt');
    const reference = unique('WH-RETRY');
    const raw = JSON.stringify(paymentEvent(id, paymentData(reference)));
    const before = await hash();
    const failed = await broken.receive({ rawBody: raw, signature: signatureHeader(SECRET, seconds(), raw) });
    expect(failed).toMatchObject({ status: 503, retryAfter: expect.any(Number) });
    expect(await hash()).toBe(before);
    const retried = await deliver(raw);
    expect(retried.body).toMatchObject({ outcome: 'recorded' });
    await h.settle((retried.body.payment as { jobId: string }).jobId);
  });

  it('answers 503 while another delivery of the id is in flight, and takes over a claim its process left behind', async () => {
    const id = unique('evt');
    const raw = JSON.stringify(paymentEvent(id, paymentData(unique('WH-PENDING'))));
    await h.runtime.store.webhookEvents.claim(id, 'R', new Date(now).toISOString(), '0');
    const busy = await deliver(raw);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('5');
    now += WEBHOOK_STALE_CLAIM_MS + 1_000;
    const taken = await deliver(raw);
    expect(taken.body).toMatchObject({ outcome: 'recorded' });
    await h.settle((taken.body.payment as { jobId: string }).jobId);
  });
});

describe('the endpoint', () => {
  it('is not there (404, like any unknown path) when no secret is configured', async () => {
    const off = await startWebServer({ handlers: h.runtime.handlers, hub: new SseHub(), rendererDir: join(h.dir, 'no-renderer') });
    try {
      expect(off.webhookUrl).toBeNull();
      const raw = JSON.stringify(paymentEvent(unique('evt'), paymentData(unique('WH-OFF'))));
      const before = await hash();
      const res = await fetch(`http://127.0.0.1:${off.port}${WEBHOOK_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'Outpost-Signature': signatureHeader(SECRET, seconds(), raw) },
        body: raw,
      });
      expect(res.status).toBe(404);
      const unknown = await fetch(`http://127.0.0.1:${off.port}/webhooks/other`, { method: 'POST' });
      expect(await res.text()).toBe(await unknown.text());
      expect(await hash()).toBe(before);
    } finally {
      await off.close();
    }
  });

  it('answers a sender behind a proxy (any Host) and sends no CORS headers', async () => {
    const raw = JSON.stringify(paymentEvent(unique('evt'), paymentData(unique('WH-PROXY'))));
    const { status, headers, body } = await new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
      const req = httpRequest(
        server.webhookUrl!,
        { method: 'POST', headers: { Host: 'shop.example.com', Origin: 'https://shop.example.com', 'Content-Type': 'application/json', 'Outpost-Signature': signatureHeader(SECRET, seconds(), raw) } },
        (res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
        },
      );
      req.on('error', reject);
      req.end(raw);
    });
    expect(status).toBe(200);
    expect(Object.keys(headers).filter((k) => k.startsWith('access-control-'))).toEqual([]);
    await h.settle((JSON.parse(body) as { payment: { jobId: string } }).payment.jobId);
    // A browser's preflight is not answered as CORS: the page cannot send the JSON POST.
    expect((await deliver('', { method: 'OPTIONS', header: null })).status).toBe(405);
  });

  it('refuses a source after 20 refused deliveries in a minute, before reading its body, until the minute is over', async () => {
    for (let i = 0; i < 20; i++) expect((await deliver('{}', { header: null })).status).toBe(401);
    const raw = JSON.stringify(paymentEvent(unique('evt'), paymentData(unique('WH-LIMIT'))));
    const limited = await deliver(raw);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    now += 60_000;
    const sent = await deliver(raw);
    expect(sent.status).toBe(200);
    await h.settle((sent.body.payment as { jobId: string }).jobId);
  });

  it('never writes the secret to a log line or an answer', () => {
    expect(logLines.some((l) => l.includes('webhook delivery refused'))).toBe(true);
    expect(logLines.some((l) => l.includes('webhook payment'))).toBe(true);
    expect(answers.length).toBeGreaterThan(20);
    for (const text of [...logLines, ...answers]) expect(text).not.toContain(SECRET);
  });
});
