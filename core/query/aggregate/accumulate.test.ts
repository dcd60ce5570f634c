import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../event/types.ts';
import { aggregateEvents } from './accumulate.ts';
import { finishAggregate } from './finish.ts';
import { mergePartials, percentileOf } from './merge.ts';
import { parsePipeline } from './parsePipeline.ts';
import { planAggregate } from './plan.ts';

const event = (ts: number, level: string, attrs: LogEvent['attrs'], host?: string): LogEvent => ({
  id: `e${ts}`,
  ts: new Date(ts).toISOString(),
  observed_ts: new Date(ts).toISOString(),
  level: level as LogEvent['level'],
  service: 'api',
  tenant: 't',
  message: 'm',
  attrs,
  ...(host === undefined ? {} : { host }),
});

function table(q: string, events: LogEvent[], range = { from: 0, to: 3_600_000 }) {
  const stage = parsePipeline(q).stage;
  assert.ok(stage !== null);
  const plan = planAggregate(stage, range);
  return finishAggregate(plan, aggregateEvents(plan, events));
}

describe('reference aggregation', () => {
  const events = [
    event(1_000, 'info', { ms: 10, code: 504 }, 'a'),
    event(2_000, 'error', { ms: 30, code: '504' }, 'b'),
    event(61_000, 'error', { ms: 'slow', code: 200 }, 'a'),
    event(62_000, 'info', { ms: 20 }),
  ];

  it('groups by epoch-aligned buckets and values, leaving out events lacking a key', () => {
    assert.deepEqual(table('| stats count() by bucket(1m), host', events).rows, [
      ['1970-01-01T00:00:00.000Z', 'a', 1],
      ['1970-01-01T00:00:00.000Z', 'b', 1],
      ['1970-01-01T00:01:00.000Z', 'a', 1],
    ]);
  });

  it('groups attributes by their text: the number 504 and the string "504" are one value', () => {
    assert.deepEqual(table('| top 5 code', events).rows, [
      ['504', 2],
      ['200', 1],
    ]);
  });

  it('feeds numeric functions numbers only, and answers null where a group has none', () => {
    assert.deepEqual(
      table('| stats count(), count(ms), sum(ms), avg(ms), min(ms), max(ms), p50(ms) by level', events).rows,
      [
        ['error', 2, 2, 30, 30, 30, 30, 30],
        ['info', 2, 2, 30, 15, 10, 20, 15],
      ],
    );
    assert.deepEqual(table('| stats avg(code) by host', [events[1]]).rows, [['b', null]]);
  });

  it('orders top by count, then value in code point order, and keeps N', () => {
    const many = ['b', 'a', 'c', 'a', 'b', '\u{1F600}', '\uFFFD'].map((host, i) =>
      event(i, 'info', {}, host),
    );
    assert.deepEqual(table('| top 4 host', many).rows, [
      ['a', 2],
      ['b', 2],
      ['c', 1],
      ['\uFFFD', 1],
    ]);
  });

  it('interpolates percentiles between the closest ranks', () => {
    assert.equal(percentileOf([1, 2, 3, 4], 50), 2.5);
    assert.equal(percentileOf([10], 99), 10);
    assert.equal(percentileOf([1, 2, 3, 4, 5], 90), 4.6);
    assert.equal(percentileOf([], 50), null);
  });

  it('merges partials of disjoint events into the partial of all of them', () => {
    const stage = parsePipeline(
      '| stats count(), avg(ms), p50(ms), count_distinct(host), min(ms) by level',
    ).stage;
    assert.ok(stage !== null);
    const plan = planAggregate(stage, { from: 0, to: 3_600_000 });
    const merged = mergePartials(
      plan,
      aggregateEvents(plan, events.slice(0, 2)),
      aggregateEvents(plan, events.slice(2)),
    );
    assert.deepEqual(finishAggregate(plan, merged), finishAggregate(plan, aggregateEvents(plan, events)));
  });

  it('fails with too_many_groups past the plan bound', () => {
    const stage = parsePipeline('| stats count() by host').stage;
    assert.ok(stage !== null);
    const plan = { ...planAggregate(stage, { from: 0, to: 3_600_000 }), maxGroups: 1 };
    assert.throws(() => aggregateEvents(plan, events), { code: 'too_many_groups' });
  });
});
