import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryError } from '../errors.ts';
import { findPipe, parsePipeline } from './parsePipeline.ts';
import { autoBucketMs, planAggregate } from './plan.ts';

function errorOf(q: string): { code: string; position: number; message: string } {
  try {
    parsePipeline(q);
  } catch (error) {
    assert.ok(error instanceof QueryError, String(error));
    return { code: error.code, position: error.position, message: error.message };
  }
  assert.fail(`${q} parsed`);
}

describe('aggregation pipes', () => {
  it('parses stats with functions and group keys, and top', () => {
    const p = parsePipeline(
      'level>=warn service:payments | stats count(), p95(latency_ms), count_distinct(host) by service, bucket(5m)',
    );
    assert.equal(p.filter.type, 'and');
    assert.equal(p.stage?.type, 'stats');
    if (p.stage?.type !== 'stats') return;
    assert.deepEqual(
      p.stage.functions.map((f) => [f.fn, f.name, f.percent]),
      [
        ['count', 'count()', undefined],
        ['percentile', 'p95(latency_ms)', 95],
        ['count_distinct', 'count_distinct(host)', undefined],
      ],
    );
    assert.deepEqual(
      p.stage.by.map((g) => (g.kind === 'bucket' ? g.ms : g.field)),
      [{ kind: 'keyword', field: 'service' }, 300_000],
    );
    const top = parsePipeline('error | top 10 message_pattern').stage;
    assert.deepEqual(top && { ...top, start: 0 }, {
      type: 'top',
      limit: 10,
      field: { kind: 'attr', name: 'message_pattern' },
      name: 'message_pattern',
      start: 0,
    });
  });

  it('reads fields as the filter does: level, reserved keywords, attributes (attrs. forces one)', () => {
    const stage = parsePipeline('| stats count() by level, host, http.status, attrs.level').stage;
    assert.deepEqual(stage?.type === 'stats' && stage.by.map((g) => g.kind === 'field' && g.field), [
      { kind: 'level' },
      { kind: 'keyword', field: 'host' },
      { kind: 'attr', name: 'http.status' },
      { kind: 'attr', name: 'level' },
    ]);
  });

  it('accepts Splunk-like spellings: bare count, median, dc, percentile(x, n), any case commands', () => {
    const stage = parsePipeline(
      '* | STATS count, median(x), dc(host), percentile(x, 99.9) BY bucket()',
    ).stage;
    assert.deepEqual(stage?.type === 'stats' && stage.functions.map((f) => f.name), [
      'count()',
      'p50(x)',
      'count_distinct(host)',
      'p99.9(x)',
    ]);
  });

  it('finds the pipe only outside quotes and at the start of a token, so old queries keep their meaning', () => {
    assert.equal(findPipe('a|b'), -1);
    assert.equal(findPipe('"x | y" z'), -1);
    assert.equal(findPipe('host:"a | b" | top host'), 13);
    assert.equal(findPipe('(a OR b)| top host'), 8);
    assert.equal(parsePipeline('a|b').stage, null);
  });

  for (const [q, position, pattern] of [
    ['x | stats', 9, /expected a function/],
    ['x | stats foo()', 10, /unknown function 'foo'/],
    ['x | stats sum(service)', 10, /numeric attributes/],
    ['x | stats count() by', 20, /expected a field or bucket/],
    ['x | stats count() by host, host', 27, /grouped by twice/],
    ['x | stats count() by bucket(5 parsecs)', 28, /bucket size/],
    ['x | stats count() by bucket(1ms)', 28, /at least 1s/],
    ['x | stats p100(x)', 10, /unknown function/],
    ['x | stats count() by ts', 21, /bucket\(\)/],
    ['x | top 10 message', 11, /full text/],
    ['x | top 0 host', 8, /1 to 1000/],
    ['x | top host | top host', 13, /one pipe per query/],
    ['x | sort host', 4, /'stats' or 'top'/],
    ['(x | top host', 3, /expected '\)'/],
  ] as const) {
    it(`points at position ${position} for ${q}`, () => {
      const error = errorOf(q);
      assert.equal(error.position, position, error.message);
      assert.match(error.message, pattern);
    });
  }

  it('sizes bucket() to the range (at least 60 buckets, 1 s at the least) and bounds explicit sizes', () => {
    assert.equal(autoBucketMs(86_400_000), 900_000);
    assert.equal(autoBucketMs(3_600_000), 60_000);
    assert.equal(autoBucketMs(30 * 86_400_000), 12 * 3_600_000);
    assert.equal(autoBucketMs(5_000), 1000);
    for (const span of [61_000, 7_200_000, 86_400_000 * 7, 86_400_000 * 90])
      assert.ok(span / autoBucketMs(span) >= 60);
    const stage = parsePipeline('| stats count() by bucket(1s)').stage;
    assert.ok(stage !== null);
    assert.throws(() => planAggregate(stage, { from: 0, to: 86_400_000 }), {
      code: 'too_many_buckets',
      position: 19,
    });
    assert.equal(planAggregate(stage, { from: 0, to: 1_000_000 }).bucketMs, 1000);
  });
});
