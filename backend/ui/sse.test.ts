import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { createKeyRing } from '../../core/auth/apiKeys.ts';
import type { LogEvent } from '../../core/event/types.ts';
import { apiErrorHandler } from '../../core/http/errorHandler.ts';
import { createRateLimiter } from '../../core/limits/rateLimiter.ts';
import { silentLogger } from '../../core/log/logger.ts';
import { MetricsRegistry } from '../../core/metrics/registry.ts';
import { createQueryApi } from '../query/app.ts';
import type { QueryDeps } from '../query/deps.ts';
import { DEFAULT_QUERY_LIMITS } from '../query/params.ts';
import type { TailHub, TailSubscriber } from '../query/tailHub.ts';

// The browser module under test: plain JavaScript, loaded by URL so TypeScript treats it as untyped.
const sse = await import(new URL('./public/sse.js', import.meta.url).href);

interface Message {
  event: string;
  data: string;
  id: string;
}

function parseAll(chunks: string[]): Message[] {
  const out: Message[] = [];
  const parser = sse.createSseParser((m: Message) => out.push(m));
  for (const c of chunks) parser.push(c);
  return out;
}

const STREAM =
  ': tail started\n\nid: 1\ndata: {"a":1}\n\nevent: dropped\ndata: {"dropped":3}\n\ndata: line one\ndata: line two\n\n';
const EXPECTED: Message[] = [
  { event: 'message', data: '{"a":1}', id: '1' },
  { event: 'dropped', data: '{"dropped":3}', id: '1' },
  { event: 'message', data: 'line one\nline two', id: '1' },
];

describe('UI event-stream parser', () => {
  it('dispatches a message per blank line, joins data lines and skips comments', () => {
    assert.deepEqual(parseAll([STREAM]), EXPECTED);
  });

  it('gives the same messages however the stream is split into chunks', () => {
    assert.deepEqual(parseAll([...STREAM]), EXPECTED);
    assert.deepEqual(parseAll([STREAM.slice(0, 17), STREAM.slice(17, 40), STREAM.slice(40)]), EXPECTED);
  });

  it('accepts CRLF and CR line ends, including a CRLF split across chunks', () => {
    const crlf = STREAM.replaceAll('\n', '\r\n');
    assert.deepEqual(parseAll([crlf]), EXPECTED);
    assert.deepEqual(parseAll([...crlf]), EXPECTED);
    assert.deepEqual(parseAll([STREAM.replaceAll('\n', '\r')]), EXPECTED);
  });

  it('strips one space after the colon only, and reads a field without a colon as empty', () => {
    assert.deepEqual(parseAll(['data:  two spaces\n\ndata\n\n']), [
      { event: 'message', data: ' two spaces', id: '' },
      { event: 'message', data: '', id: '' },
    ]);
  });

  it('does not dispatch a message until its blank line arrives', () => {
    assert.deepEqual(parseAll(['data: half']), []);
  });

  it('reads a byte stream whose multi-byte characters are split across chunks', async () => {
    const bytes = new TextEncoder().encode('data: café 日本 😀\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const b of bytes) controller.enqueue(new Uint8Array([b]));
        controller.close();
      },
    });
    const out: Message[] = [];
    await sse.readEventStream(body, (m: Message) => out.push(m));
    assert.deepEqual(out, [{ event: 'message', data: 'café 日本 😀', id: '' }]);
  });
});

describe('UI event-stream parser against the real tail route', () => {
  it('reads matching events and the dropped notice exactly as GET /api/v1/tail writes them', async () => {
    const subscribers = new Set<TailSubscriber>();
    const tail: TailHub = {
      subscribe(s) {
        subscribers.add(s);
        return () => subscribers.delete(s);
      },
      count: () => subscribers.size,
      close: async () => {},
    };
    const registry = new MetricsRegistry();
    const app = new Hono();
    app.onError(apiErrorHandler(silentLogger));
    app.route(
      '/',
      createQueryApi({
        deps: { tail, limits: DEFAULT_QUERY_LIMITS, now: () => Date.now() } as unknown as QueryDeps,
        keys: createKeyRing([]),
        rateLimiter: createRateLimiter({ rate: 0, burst: 0 }),
        tailLimits: { maxPerTenant: 5, maxPerKey: 5, maxQueued: 2, heartbeatMs: 60_000 },
        metrics: {
          requests: registry.counter('r', 'r', ['route', 'status']),
          latency: registry.histogram('l', 'l', ['route']),
        },
      }),
    );

    const res = await app.request('/api/v1/tail?q=level:error');
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const event = (i: number, level: LogEvent['level']): LogEvent => ({
      id: `e${i}`,
      ts: new Date(Date.UTC(2026, 10, 23, 12, 0, i)).toISOString(),
      observed_ts: new Date(Date.UTC(2026, 10, 23, 12, 0, i)).toISOString(),
      level,
      service: 'checkout',
      tenant: 'default',
      message: `<b>failure ${i}</b>\nsecond line`,
      attrs: { 'http.status': 504 },
    });
    // Wait for the route to subscribe, then push more than it queues: the oldest are dropped and counted.
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const messages: Message[] = [];
    const parser = sse.createSseParser((m: Message) => messages.push(m));
    parser.push((await reader.read()).value ?? '');
    for (const s of subscribers) {
      const all = [
        event(1, 'error'),
        event(2, 'info'),
        event(3, 'error'),
        event(4, 'error'),
        event(5, 'error'),
      ];
      s.push(all.filter(s.matches));
    }
    while (messages.length < 3) {
      const { value, done } = await reader.read();
      if (done) break;
      parser.push(value);
    }
    await reader.cancel();

    assert.equal(messages[0].event, 'dropped');
    assert.deepEqual(JSON.parse(messages[0].data), { dropped: 2 });
    assert.deepEqual(
      messages.slice(1).map((m) => JSON.parse(m.data).id),
      ['e4', 'e5'],
    );
    assert.equal(JSON.parse(messages[1].data).message, '<b>failure 4</b>\nsecond line');
    assert.equal(messages[2].id, 'e5');
  });
});
