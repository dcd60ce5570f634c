import type { LogEvent } from '../../../../core/event/types.ts';

/**
 * Fixtures of the SearchStore contract. Each test owns a tenant (and the retention test owns the
 * only days of 2025), so tests sharing one store cannot see each other's events.
 */
export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
/** A range holding every fixture but the retention test's. */
export const ALL_2026 = { from: Date.UTC(2026, 0, 1), to: Date.UTC(2027, 0, 1) };

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function event(id: string, tenant: string, ms: number, extra: Partial<LogEvent> = {}): LogEvent {
  return {
    id,
    ts: iso(ms),
    observed_ts: iso(ms),
    level: 'info',
    service: 'checkout',
    tenant,
    message: `event ${id}`,
    attrs: {},
    ...extra,
  };
}

/** Events for the query-form tests, with the ids each query must select written out by hand. */
export const WORDS_TENANT = 'words';
export const WORDS: LogEvent[] = [
  event('w1', WORDS_TENANT, T0, {
    message: 'Payment gateway timeout after 3000 ms',
    level: 'error',
    attrs: { 'http.status': 504, 'order.id': 'A-1001' },
    host: 'node-1',
  }),
  event('w2', WORDS_TENANT, T0 + 1000, {
    message: 'payment-gateway: TIMEOUT!',
    service: 'payments',
    level: 'warn',
    attrs: { 'http.status': '504' },
  }),
  event('w3', WORDS_TENANT, T0 + 2000, {
    message: 'gateway responded in time',
    attrs: { 'http.status': 200, ok: true },
  }),
  event('w4', WORDS_TENANT, T0 + 3000, {
    message: 'timers reset; retrying',
    service: 'api',
    level: 'debug',
    attrs: { latency: 250.5, 'user.name': 'Bob' },
  }),
  event('w5', WORDS_TENANT, T0 + 4000, {
    message: 'Straße café ΣΟΦΟΣ İZMIR 日本語',
    level: 'fatal',
    host: 'node-2',
    attrs: { '': 'empty name', 'a.b.c': -3 },
  }),
  event('w6', WORDS_TENANT, T0 + 5000, {
    message: 'it\'s "quoted" and back\\slash; NEAR(a b) OR 1=1 -- {"query": *}',
    env: 'prod',
    attrs: { 'weird "name"': 'x\\y', 'search.tokens': 'payment' },
  }),
];

export const WORD_QUERIES: ReadonlyArray<[query: string, ids: string[]]> = [
  ['timeout', ['w1', 'w2']],
  ['"gateway timeout"', ['w1', 'w2']],
  ['payment-gateway', ['w1', 'w2']],
  ['time*', ['w1', 'w2', 'w3', 'w4']],
  ['"payment gat*"', []],
  ['payment-gat*', ['w1', 'w2']],
  ['service:checkout level>=warn', ['w1', 'w5']],
  ['level<info', ['w4']],
  ['level:warning', ['w2']],
  ['http.status:504', ['w1', 'w2']],
  ['attrs.http.status>=500', ['w1']],
  ['http.status<300', ['w3']],
  ['attrs.order.id:"A-1001"', ['w1']],
  ['order.id:a-1001', []],
  ['latency>250', ['w4']],
  ['latency:250.50', ['w4']],
  ['user.name:B*', ['w4']],
  ['ok:true', ['w3']],
  ['a.b.c<0', ['w5']],
  ['σοφοσ izmir', ['w5']],
  ['日本語', ['w5']],
  ['straße café', ['w5']],
  ['host:node-*', ['w1', 'w5']],
  ['env:* -env:prod', []],
  ['-env:prod', ['w1', 'w2', 'w3', 'w4', 'w5']],
  ['"back\\\\slash"', ['w6']],
  ['near', ['w6']],
  ['search.tokens:payment', ['w6']],
  ['(timeout OR retrying) -service:payments', ['w1', 'w4']],
  ['checkout', []],
];

/** Query text meant to break out of a compiler: each must answer or raise a query error, nothing else. */
export const HOSTILE_QUERIES: readonly string[] = [
  '"',
  '\\',
  '"a\\"b',
  'a\\',
  '"\\\\"',
  'NEAR(a b)',
  'payment NEAR/2 gateway',
  'a AND OR',
  'AND',
  'NOT',
  '-',
  '*',
  '***',
  'a*b',
  '*foo',
  ')(',
  '(((',
  'col:^x',
  '^payment',
  '{"query":{"match_all":{}}}',
  '" OR 1=1 --',
  "'; DROP TABLE events; --",
  'tenant:globex',
  'tenant:*',
  'service:*',
  'id:*',
  '_id:w1',
  '_index:*',
  'message:"\\"',
  'x:"\u0000"',
  '\u0000',
  'attrs.http.status>=abc',
  'level:bogus',
  'ts>garbage',
  'ts>=now-100y',
  'ts<2300-01-01',
  'ts>1960-01-01',
  'http.status>1e400',
  'http.status>=-1e308',
  'foo:bar:baz',
  'payment~2',
  'payment^5',
  'pay?ent',
  '/regex.*/',
  'a'.repeat(300),
  `${'b'.repeat(300)}*`,
  'a '.repeat(3000),
  '('.repeat(40),
  `${'('.repeat(30)}a${')'.repeat(30)}`,
  `"${'x '.repeat(1500)}"`,
  `host:${'h'.repeat(9000)}`,
  '😀',
  '🤔ok',
  'payment OR'.repeat(200),
];
