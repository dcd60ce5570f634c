import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { LogEvent } from '../../core/event/types.ts';
import { DAY, KEYS, NOW, type QueryHarness, range, startQueryHarness } from './testing/queryHarness.ts';
import { openTail } from './testing/sse.ts';
import { ids, seedWorld, type World } from './testing/world.ts';

/**
 * Hostile `q` text: quoting and escaping tricks, FTS5 and OpenSearch syntax, SQL, control characters,
 * sizes and depths past the limits. Each must answer 200 (with rows inside the key's scope) or 400 (with
 * a code and the position of the error), never 500.
 */
const ATTEMPTS: string[] = [
  '"',
  '""',
  '"""',
  '\\',
  '\\\\',
  '"\\"',
  '"unterminated',
  'timeout"',
  "'",
  "'; DROP TABLE events; --",
  "timeout'; DROP TABLE events; --",
  '" OR 1=1 --',
  "') OR ('1'='1",
  'NEAR(payment gateway)',
  'NEAR(payment gateway, 2)',
  'payment NEAR gateway',
  '*',
  '**',
  '*timeout',
  'time*out',
  'tim*',
  '"tim*"',
  '^payment',
  'payment^2',
  '"payment"^',
  'col:x',
  'message:payment',
  'events_fts:payment',
  'rowid:1',
  'rank:1',
  '{"query":{"match_all":{}}}',
  '{"query":{"bool":{"must_not":{"term":{"tenant":"acme"}}}}}',
  'tenant:* OR _index:*',
  '_source:*',
  'payment~2',
  'pay?ent',
  '/time.*/',
  '[a TO z]',
  'http.status:[500 TO 599]',
  'AND',
  'OR',
  'NOT',
  'AND OR NOT',
  'NOT NOT NOT timeout',
  'timeout AND',
  'OR timeout',
  'timeout OR OR login',
  'timeout AND AND login',
  '- timeout',
  '--timeout',
  '-',
  '()',
  '(',
  ')',
  '(timeout',
  'timeout)',
  ')(',
  'a\u0000b',
  '\u0000',
  'payment\u0000 OR tenant:globex',
  'level>=',
  'level>=nope',
  'http.status>=abc',
  'ts>=yesterday',
  'ts>=now-99999999999d',
  'service:"web" OR tenant:"globex"',
  'service:web\\" OR tenant:globex',
  'attrs.":x',
  'a:b:c',
  '::',
  ':x',
  'x:',
  '"payment gateway" AND "; DELETE FROM events_fts"',
  '\u202etimeout',
  '😀*',
  'ｔｉｍｅｏｕｔ',
  `${'('.repeat(100)}timeout${')'.repeat(100)}`,
  `${'-'.repeat(100)}timeout`,
  `${'NOT '.repeat(100)}timeout`,
  Array.from({ length: 300 }, (_, i) => `w${i}`).join(' OR '),
  'x'.repeat(10 * 1024),
  `"${'a '.repeat(2500)}"`,
];

describe('query API: injection attempts', () => {
  let h: QueryHarness;
  let world: World;
  const wide = range(NOW - 3 * DAY, NOW);

  before(async () => {
    h = await startQueryHarness();
    world = await seedWorld(h);
  });
  after(() => h.close());

  for (const [key, visible] of [
    ['acme', (e: LogEvent) => e.tenant === 'acme'],
    ['acmeWeb', (e: LogEvent) => e.tenant === 'acme' && e.service === 'web'],
  ] as const) {
    it(`search as ${key}: every attempt answers 200 within scope or 400 with a position, never 500`, async () => {
      const outcomes = { ok: 0, refused: 0 };
      for (const q of ATTEMPTS) {
        for (const source of ['hot', 'auto']) {
          const res = await h.get(
            `/api/v1/search?q=${encodeURIComponent(q)}&${wide}&limit=1000&source=${source}`,
            key,
          );
          const text = await res.text();
          const body = JSON.parse(text || '{}') as {
            hits?: LogEvent[];
            error?: { code: string; message: string; details: Array<{ position: number | null }> };
          };
          const what = `${JSON.stringify(q.slice(0, 60))} source=${source}: ${res.status} ${text.slice(0, 300)}`;
          assert.ok(res.status === 200 || res.status === 400, what);
          if (res.status === 400) {
            outcomes.refused++;
            assert.ok(['query_syntax', 'query_too_complex'].includes(body.error?.code ?? ''), what);
            const position = body.error?.details[0]?.position;
            assert.equal(typeof position, 'number', `${what}: position`);
            assert.ok((position as number) >= 0 && (position as number) <= q.length, what);
          } else {
            outcomes.ok++;
            for (const hit of body.hits ?? [])
              assert.ok(visible(hit), `${what}: ${hit.tenant}/${hit.service}`);
          }
        }
      }
      // Both kinds occur: the list is not all rejected by some blanket check.
      assert.ok(outcomes.ok > 20 && outcomes.refused > 20, JSON.stringify(outcomes));
    });
  }

  it('the stores are intact afterwards: the same searches return the same events', async () => {
    const everything = await h.json<{ hits: LogEvent[] }>(`/api/v1/search?${wide}&limit=1000`, 'operator');
    assert.deepEqual(ids(everything.hits), ids([...world.hot, ...world.archived]));
    const phrase = await h.json<{ hits: LogEvent[] }>(
      `/api/v1/search?q=${encodeURIComponent('"gateway timeout"')}&${wide}&limit=1000`,
      'acme',
    );
    assert.deepEqual(
      ids(phrase.hits),
      ids(world.hot.filter((e) => e.tenant === 'acme' && e.message.includes('gateway timeout'))),
    );
  });

  it('quoted operators and SQL are searched as plain words, not run', async () => {
    const res = await h.json<{ hits: LogEvent[] }>(
      `/api/v1/search?q=${encodeURIComponent('"tenant:globex OR 1=1"')}&${wide}`,
      'acme',
    );
    assert.deepEqual(res.hits, []);
    const star = await h.json<{ hits: LogEvent[] }>(`/api/v1/search?q=*&${wide}&limit=1000`, 'acmeWeb');
    assert.deepEqual(
      ids(star.hits),
      ids([...world.hot, ...world.archived].filter((e) => e.tenant === 'acme' && e.service === 'web')),
    );
  });

  it('tail parses the same way: 200 stream or 400 with a position', async () => {
    for (const q of ATTEMPTS) {
      const t = await openTail(`${h.url}/api/v1/tail?q=${encodeURIComponent(q)}`, {
        authorization: `Bearer ${KEYS.acme}`,
      });
      t.close();
      assert.ok(t.status === 200 || t.status === 400, `${JSON.stringify(q.slice(0, 60))}: ${t.status}`);
    }
  });

  it('trace IDs, metric names, services, cursors and times with hostile text answer 400 or 404, never 500', async () => {
    const hostile = [
      "'; DROP TABLE events; --",
      '"',
      '\\',
      '*',
      'a b',
      '../x',
      '%00',
      'x'.repeat(10_000),
      '{"query":1}',
    ];
    for (const text of hostile) {
      const v = encodeURIComponent(text);
      const paths = [
        `/api/v1/trace/${v}`,
        `/api/v1/metrics?name=${v}`,
        `/api/v1/metrics?name=log_count&service=${v}&${wide}`,
        `/api/v1/search?cursor=${v}`,
        `/api/v1/search?from=${v}`,
        `/api/v1/search?to=${v}`,
        `/api/v1/search?limit=${v}`,
        `/api/v1/search?order=${v}`,
        `/api/v1/search?source=${v}`,
        `/api/v1/search?tenant=${v}`,
      ];
      for (const path of paths) {
        const res = await h.get(path, 'acme');
        const body = await res.text();
        assert.ok(
          [200, 400, 403, 404].includes(res.status),
          `${path.slice(0, 120)}: ${res.status} ${body.slice(0, 200)}`,
        );
        if (res.status === 200) {
          const parsed = JSON.parse(body) as {
            hits?: LogEvent[];
            series?: Array<{ labels: Record<string, string> }>;
          };
          for (const hit of parsed.hits ?? []) assert.equal(hit.tenant, 'acme');
          for (const s of parsed.series ?? []) assert.equal(s.labels.tenant, 'acme');
        }
      }
    }
  });
});
