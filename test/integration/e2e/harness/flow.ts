/**
 * The assertions both end-to-end tests make through the query API once the agent has shipped the shop's
 * lines: search by word, phrase, field, level range and attribute; trace; masking; metrics.
 * Expectations come from harness/shop.ts, never from the code under test.
 */
import assert from 'node:assert/strict';
import { openTail } from '../../../../backend/query/testing/sse.ts';
import { spawnNode } from '../../../helpers/nodeProcess.ts';
import { type QueryClient, total } from './api.ts';
import { atLeast, type Line, lineNumbers, numbers, SECRETS } from './shop.ts';

export async function assertSearches(api: QueryClient, lines: Line[], from: string): Promise<void> {
  const search = (q: string) => api.searchAll({ q, from, source: 'hot' });
  const cases: Array<[string, (l: Line) => boolean]> = [
    ['timeout', (l) => /\btimeout\b/.test(l.message)],
    ['"gateway timeout"', (l) => l.message.includes('gateway timeout')],
    ['checkout timeout', (l) => l.message.includes('checkout') && l.message.includes('timeout')],
    ['service:orders', (l) => l.service === 'orders'],
    ['level>=error', (l) => atLeast(l.level, 'error')],
    ['level>=warn level<error', (l) => atLeast(l.level, 'warn') && !atLeast(l.level, 'error')],
    ['service:web level<=debug', (l) => l.service === 'web' && !atLeast(l.level, 'info')],
    ['http.status>=500', (l) => l.status !== undefined && l.status >= 500],
    ['attrs.http.status:504', (l) => l.status === 504],
    ['order_id:A-1001', (l) => l.order === 'A-1001'],
    ['order_id:B-*', (l) => l.order?.startsWith('B-') === true],
    ['correlation_id:req-e2e-1 -service:web', (l) => l.correlation_id === 'req-e2e-1' && l.service !== 'web'],
    ['routine OR ledger', (l) => l.message.startsWith('routine') || l.message.includes('ledger')],
    ['rout*', (l) => l.message.startsWith('routine')],
  ];
  for (const [q, expected] of cases) {
    const hits = await search(q);
    assert.deepEqual(lineNumbers(hits), numbers(lines.filter(expected)), `q=${q}`);
    assert.ok(
      hits.every((h) => h.tenant === 'shop' && h.env === 'e2e'),
      `q=${q}: tenant and enrichment`,
    );
  }
  // Fields the agent and processor fill: service from the input, level normalized, attributes typed.
  const [timeout] = await search('"timeout after 3000"');
  assert.equal(timeout.service, 'payments');
  assert.equal(timeout.level, 'error');
  assert.equal(timeout.correlation_id, 'req-e2e-1');
  assert.equal(timeout.attrs['http.status'], 504);
}

export async function assertTrace(api: QueryClient, lines: Line[], from: string): Promise<void> {
  const trace = await api.trace('req-e2e-1', { from });
  const expected = lines.filter((l) => l.correlation_id === 'req-e2e-1').sort((a, b) => a.ts - b.ts);
  assert.deepEqual(
    trace.events.map((e) => Number(/\bln(\d+)\b/.exec(e.message)?.[1])),
    expected.map((l) => l.n),
    'every service’s events, oldest first',
  );
  assert.deepEqual(
    trace.services.map((s) => [s.service, s.count, s.errors]).sort(),
    ['web', 'orders', 'payments']
      .map((service) => {
        const mine = expected.filter((l) => l.service === service);
        return [service, mine.length, mine.filter((l) => atLeast(l.level, 'error')).length];
      })
      .sort(),
  );
  assert.equal(trace.duration_ms, expected.at(-1)!.ts - expected[0].ts);
}

export async function assertMasked(api: QueryClient, from: string): Promise<void> {
  for (const secret of SECRETS) {
    const hits = await api.searchAll({ q: `"${secret}"`, from, source: 'hot' });
    assert.deepEqual(hits, [], `secret ${secret} is searchable`);
  }
  const [login] = await api.searchAll({ q: 'login', from, source: 'hot' });
  assert.match(login.message, /password=\[MASKED:password\]/);
  assert.equal(login.attrs.api_key, '[MASKED:secret]');
  const [card] = await api.searchAll({ q: 'charged', from, source: 'hot' });
  assert.match(card.message, /\[MASKED:credit_card\]/);
  for (const event of [login, card]) {
    const text = JSON.stringify(event);
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} in ${text}`);
  }
}

/**
 * Waits until the built-in metrics of each service have counted every line (windows close a few
 * seconds after their end), then checks log_count, error_count and, step by step, error_rate.
 */
export async function assertMetrics(
  api: QueryClient,
  lines: Line[],
  from: string,
  waitUntil: <T>(what: string, probe: () => Promise<T | undefined>, ms: number) => Promise<T>,
): Promise<void> {
  for (const service of ['web', 'orders', 'payments']) {
    const mine = lines.filter((l) => l.service === service);
    const errors = mine.filter((l) => atLeast(l.level, 'error')).length;
    const params = { service, from, step: '10s' };
    // Both counts of a window are published together but may reach the store in two writes: wait for both.
    await waitUntil(
      `log_count and error_count of ${service} reaching ${mine.length} and ${errors}`,
      async () => {
        const counted = total(await api.metrics({ name: 'log_count', ...params }));
        const failed = total(await api.metrics({ name: 'error_count', ...params }));
        assert.ok(counted <= mine.length, `${service}: counted ${counted} of ${mine.length} lines`);
        return counted === mine.length && failed === errors ? true : undefined;
      },
      45_000,
    );
    const logs = await api.metrics({ name: 'log_count', ...params });
    const errs = await api.metrics({ name: 'error_count', ...params });
    const rate = await api.metrics({ name: 'error_rate', ...params });
    assert.equal(total(errs), errors, `${service} error_count`);
    assert.equal(logs.series.length, 1);
    const logPoints = logs.series[0].points;
    const errPoints = errs.series[0]?.points ?? [];
    const ratePoints = rate.series[0].points;
    assert.equal(ratePoints.length, logPoints.length);
    logPoints.forEach(([t, n], i) => {
      assert.equal(ratePoints[i][0], t);
      if (n === null) assert.equal(ratePoints[i][1], null);
      else assert.equal(ratePoints[i][1], (errPoints[i]?.[1] ?? 0) / n, `${service} error_rate at ${t}`);
    });
  }
}

/** The CLI, as a script would use it: `sluice search … --json` prints one event per line. */
export async function cliSearch(base: string, key: string, q: string, from: string): Promise<string[]> {
  const cli = spawnNode('cli', [
    'backend/cli/main.ts',
    'search',
    q,
    '--from',
    from,
    '--all',
    '--json',
    '--url',
    base,
    '--key',
    key,
  ]);
  const code = await cli.exited;
  assert.equal(code, 0, cli.logTail());
  return cli.lines();
}

/** One second, plus the agent's configured batch wait (100 ms) and poll interval (50 ms). */
export const TAIL_BOUND_MS = 1150;

/**
 * Opens `GET /api/v1/tail?q=service:<service>`, writes three new lines of that service (each once the
 * previous one arrived) and returns the delays from each write to its event on the stream. The first
 * probe is repeated while the stream is not yet live (a Kafka consumer may still be joining its group).
 */
export async function measureTail(
  base: string,
  key: string,
  service: string,
  write: (line: Line) => Promise<void>,
  firstN: number,
): Promise<number[]> {
  const tail = await openTail(`${base}/api/v1/tail?q=${encodeURIComponent(`service:${service}`)}`, {
    authorization: `Bearer ${key}`,
  });
  assert.equal(tail.status, 200);
  const delays: number[] = [];
  try {
    for (let i = 0; delays.length < 3 && i < 20; i++) {
      const line: Line = {
        n: firstN + i,
        service,
        ts: Date.now(),
        level: 'info',
        message: `tail probe ${i}`,
      };
      const written = performance.now();
      await write(line);
      const seen = await tail
        .until(
          (events) => events.some((e) => e.message.endsWith(`ln${line.n}`)),
          delays.length === 0 && i < 5 ? 3000 : 10_000,
        )
        .then(
          () => true,
          () => false,
        );
      if (seen) delays.push(Math.round(performance.now() - written));
    }
  } finally {
    tail.close();
  }
  assert.equal(delays.length, 3, `tail saw ${delays.length} of 3 lines`);
  assert.ok(tail.events.every((e) => e.service === service));
  return delays;
}
