import type { AttrValue, LogEvent } from '../event/types.ts';
import { LEVELS } from '../event/types.ts';
import type { Rng } from '../random/mulberry32.ts';
import { parseTimeExpression } from '../time/expression.ts';
import type { Comparison, KeywordField, LeafNode, QueryNode } from './ast.ts';
import { formatQuery } from './format.ts';
import { tokenize } from './tokenize.ts';
import { parseQueryNumber } from './values.ts';

/**
 * Seeded generators for property tests: events and queries drawn from one small vocabulary, so
 * queries match often and the interesting edges (case, separators, missing fields, numeric strings,
 * booleans, null, sub-ms timestamps, equal timestamps) come up in a few hundred samples.
 */
export function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

function chance(rng: Rng, probability: number): boolean {
  return rng() < probability;
}

/** `now` for random queries; events fall in the two hours before it, on a 10 s grid so ts terms hit exactly. */
export const RANDOM_NOW_MS = Date.UTC(2026, 10, 23, 14, 0, 0);
const RANDOM_START_MS = RANDOM_NOW_MS - 2 * 3_600_000;
const TIME_STEPS = 720;
const TIME_STEP_MS = 10_000;

const WORDS = [
  'payment',
  'Payment',
  'PAYMENT',
  'gateway',
  'timeout',
  'timeouts',
  'time',
  'timer',
  'error',
  'retry',
  'checkout',
  'user',
  'order',
  'café',
  'Straße',
  'ΣΟΦΟΣ',
  'σοφος',
  'İstanbul',
  '3000',
  '504',
  'ms',
  'foo_bar',
  "can't",
  '3.14',
  'A-1001',
  'x',
  '日本',
  '🤔ok',
  'and',
  'NOT',
  'OR',
] as const;
const SEPARATORS = [
  ' ',
  ' ',
  ' ',
  ' ',
  ', ',
  ': ',
  '-',
  '.',
  '/',
  ' - ',
  '\t',
  '"',
  '=',
  '(',
  ') ',
  '*',
] as const;
const QUERY_TOKENS = [...new Set(tokenize(WORDS.join(' '))), 'missing'];

const KEYWORD_POOLS: Readonly<Record<KeywordField, ReadonlyArray<string | undefined>>> = {
  id: [],
  service: ['checkout', 'payments', 'gateway', 'back\\slash'],
  host: ['node-1', 'node-2', 'Node-1', 'a b', undefined],
  env: ['prod', 'staging', 'x"y', '', undefined],
  tenant: ['acme', 'globex'],
  correlation_id: ['c-1', 'c-2', 'c-3', undefined],
  trace_id: ['4bf92f3577b34da6', '00f067aa0ba902b7', undefined],
  span_id: ['s1', 's2', undefined],
};
const KEYWORD_FIELDS = Object.keys(KEYWORD_POOLS) as KeywordField[];
const KEYWORD_PREFIXES = ['node-', 'n', 'N', 'chec', 'pay', 'c-', 's', 'ac', 'prod', 'zzz', 'ev-1'];

const ATTR_POOLS: Readonly<Record<string, readonly AttrValue[]>> = {
  'http.status': [200, 404, 500, 504, '504', 'ok', null],
  'order.id': ['A-1001', 'A-1002', 'a-1001', 'B 7'],
  user: ['alice', 'bob', 'Alice', ''],
  latency: [0.5, 12, 250, 3000, 1e21, -3],
  retries: [0, 1, 2, '2', true],
  ok: [true, false, 'true', 'false'],
  level: ['debug', 'x'],
  'attrs.nested': ['deep'],
};
const ATTR_NAMES = [...Object.keys(ATTR_POOLS), 'absent'];
const ATTR_EQ_VALUES = [
  '504',
  '504.0',
  '5e2',
  '+504',
  '200',
  '0.50',
  '0.5',
  '1e21',
  'true',
  'false',
  'ok',
  'B 7',
  'A-1001',
  'alice',
  'Alice',
  '',
  '2',
  'deep',
  'debug',
  '*',
];
const ATTR_NUMBERS = ['0', '1', '2', '12', '250', '500', '504', '3000', '0.5', '-3', '1e3', '1e21'];
const ATTR_PREFIXES = ['5', '50', 'A-', 'a', 'tr', 'fa', '0.', '1', '2', '1e', 'de', 'o'];
const COMPARISONS: readonly Comparison[] = ['gt', 'gte', 'lt', 'lte'];
const TIME_VALUES = ['now', 'now-15m', 'now-1h', 'now-90m', 'now-2h', 'now-1d', 'now+1h'];

function randomTs(rng: Rng): string {
  const ms = RANDOM_START_MS + Math.floor(rng() * TIME_STEPS) * TIME_STEP_MS;
  const iso = new Date(ms).toISOString();
  switch (Math.floor(rng() * 4)) {
    case 0:
      return iso;
    case 1:
      return `${iso.slice(0, 19)}Z`;
    case 2:
      return `${iso.slice(0, 23)}123456Z`; // sub-millisecond digits, which ms comparisons drop
    default: {
      const local = new Date(ms + 3_600_000).toISOString();
      return `${local.slice(0, 23)}+01:00`;
    }
  }
}

function randomMessage(rng: Rng): string {
  if (chance(rng, 0.03)) return '';
  const count = 2 + Math.floor(rng() * 6);
  let message = pick(rng, WORDS);
  for (let i = 1; i < count; i++) message += pick(rng, SEPARATORS) + pick(rng, WORDS);
  return message;
}

/** A valid event; `id` is `ev-<index>` so callers can give each event a distinct id. */
export function randomEvent(rng: Rng, index = Math.floor(rng() * 1e9)): LogEvent {
  const ts = randomTs(rng);
  const event: LogEvent = {
    id: `ev-${index}`,
    ts,
    observed_ts: ts,
    level: pick(rng, LEVELS),
    service: pick(rng, KEYWORD_POOLS.service) as string,
    tenant: pick(rng, KEYWORD_POOLS.tenant) as string,
    message: randomMessage(rng),
    attrs: {},
  };
  for (const field of ['host', 'env', 'correlation_id', 'trace_id', 'span_id'] as const) {
    const value = pick(rng, KEYWORD_POOLS[field]);
    if (value !== undefined) event[field] = value;
  }
  for (const [name, pool] of Object.entries(ATTR_POOLS)) {
    if (chance(rng, 0.6)) event.attrs[name] = pick(rng, pool);
  }
  return event;
}

const NO_SPAN = { start: 0, end: 0 };

function randomText(rng: Rng): LeafNode {
  const count = chance(rng, 0.3) ? 2 + Math.floor(rng() * 2) : 1;
  const tokens = Array.from({ length: count }, () => pick(rng, QUERY_TOKENS));
  if (!chance(rng, 0.25)) return { type: 'text', tokens, prefix: false, ...NO_SPAN };
  const last = [...tokens[count - 1]];
  tokens[count - 1] = last.slice(0, 1 + Math.floor(rng() * last.length)).join('');
  return { type: 'text', tokens, prefix: true, ...NO_SPAN };
}

function randomKeyword(rng: Rng): LeafNode {
  const field = pick(rng, KEYWORD_FIELDS);
  const roll = rng();
  // Existence of an always-present field parses as match-all, so only optional fields get it.
  if (roll < 0.15 && KEYWORD_POOLS[field].includes(undefined))
    return { type: 'keyword', field, op: 'exists', value: '', ...NO_SPAN };
  if (roll < 0.35)
    return { type: 'keyword', field, op: 'prefix', value: pick(rng, KEYWORD_PREFIXES), ...NO_SPAN };
  const pool =
    field === 'id' ? ['ev-1', 'ev-2', 'ev-10', 'ev-x'] : KEYWORD_POOLS[field].filter((v) => v !== undefined);
  const value = chance(rng, 0.1) ? pick(rng, ['*', 'missing', 'a*b', '(x)']) : (pick(rng, pool) as string);
  return { type: 'keyword', field, op: 'eq', value, ...NO_SPAN };
}

function randomAttr(rng: Rng): LeafNode {
  const name = pick(rng, ATTR_NAMES);
  const roll = rng();
  if (roll < 0.1) return { type: 'attr', name, op: 'exists', value: '', number: null, ...NO_SPAN };
  if (roll < 0.25)
    return { type: 'attr', name, op: 'prefix', value: pick(rng, ATTR_PREFIXES), number: null, ...NO_SPAN };
  if (roll < 0.6) {
    const value = pick(rng, ATTR_EQ_VALUES);
    return { type: 'attr', name, op: 'eq', value, number: parseQueryNumber(value), ...NO_SPAN };
  }
  const value = pick(rng, ATTR_NUMBERS);
  return {
    type: 'attr',
    name,
    op: pick(rng, COMPARISONS),
    value,
    number: parseQueryNumber(value),
    ...NO_SPAN,
  };
}

function randomTime(rng: Rng, nowMs: number): LeafNode {
  const value = chance(rng, 0.4)
    ? pick(rng, TIME_VALUES)
    : new Date(RANDOM_START_MS + Math.floor(rng() * TIME_STEPS) * TIME_STEP_MS).toISOString();
  const op = chance(rng, 0.2) ? 'eq' : pick(rng, COMPARISONS);
  return { type: 'ts', op, ms: parseTimeExpression(value, nowMs), value, ...NO_SPAN };
}

function randomLeaf(rng: Rng, nowMs: number): LeafNode {
  const roll = rng();
  if (roll < 0.35) return randomText(rng);
  if (roll < 0.5) return randomKeyword(rng);
  if (roll < 0.75) return randomAttr(rng);
  if (roll < 0.87) {
    const op = chance(rng, 0.4) ? 'eq' : pick(rng, COMPARISONS);
    return { type: 'level', op, level: pick(rng, LEVELS), ...NO_SPAN };
  }
  if (roll < 0.97) return randomTime(rng, nowMs);
  return { type: 'all', ...NO_SPAN };
}

function randomNode(rng: Rng, depth: number, nowMs: number): QueryNode {
  if (depth <= 0 || chance(rng, 0.3)) return randomLeaf(rng, nowMs);
  const roll = rng();
  if (roll < 0.7) {
    // Narrower ANDs than ORs keep most random queries selecting some but not all events.
    const type = roll < 0.4 ? 'and' : 'or';
    const count = 2 + Math.floor(rng() * (type === 'and' ? 2 : 3));
    const children = Array.from({ length: count }, () => randomNode(rng, depth - 1, nowMs));
    return { type, children, ...NO_SPAN };
  }
  return { type: 'not', child: randomNode(rng, depth - 1, nowMs), ...NO_SPAN };
}

/**
 * A random AST (spans 0/0) of at most `depth` nested boolean levels, and its text (formatQuery).
 * Parsing `text` with `nowMs` gives back `ast`, spans aside; `ts` terms were resolved against `nowMs`.
 */
export function randomQuery(
  rng: Rng,
  depth: number,
  nowMs = RANDOM_NOW_MS,
): { ast: QueryNode; text: string } {
  const ast = randomNode(rng, depth, nowMs);
  return { ast, text: formatQuery(ast) };
}
