import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MetricPoint } from '../../core/ports/metricStore.ts';
import { HOUR, NOW, type QueryHarness, range, startQueryHarness } from './testing/queryHarness.ts';
import { seedWorld, type World } from './testing/world.ts';

interface MetricsBody {
  name: string;
  step: number;
  series: Array<{ labels: Record<string, string>; points: Array<[number, number | null]> }>;
}

const STEP = 10 * 60_000;

/** Sums of one metric per (tenant/service, step), computed straight from the points written. */
function sums(points: MetricPoint[], name: string, keep: (p: MetricPoint) => boolean): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of points) {
    if (p.name !== name || !keep(p)) continue;
    const k = `${p.labels.tenant}/${p.labels.service}@${Math.floor(p.bucket / STEP) * STEP}`;
    out.set(k, (out.get(k) ?? 0) + p.value);
  }
  return out;
}

function flatten(body: MetricsBody): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const s of body.series)
    for (const [t, v] of s.points) out.set(`${s.labels.tenant}/${s.labels.service}@${t}`, v);
  return out;
}

describe('query API: metrics', () => {
  let h: QueryHarness;
  let world: World;
  before(async () => {
    h = await startQueryHarness();
    world = await seedWorld(h);
  });
  after(() => h.close());

  it('log_count and error_count are the sums of every partition’s points per step', async () => {
    for (const name of ['log_count', 'error_count']) {
      const body = await h.json<MetricsBody>(
        `/api/v1/metrics?name=${name}&${range(NOW - HOUR, NOW)}&step=10m`,
        'acme',
      );
      assert.equal(body.step, STEP);
      const expected = sums(world.points, name, (p) => p.labels.tenant === 'acme');
      const got = flatten(body);
      for (const [k, v] of expected) assert.equal(got.get(k), v, `${name} ${k}`);
      assert.equal([...got.values()].filter((v) => v !== null).length, expected.size);
      for (const s of body.series) {
        assert.deepEqual(
          s.points.map(([t]) => t),
          Array.from({ length: 6 }, (_, i) => NOW - HOUR + i * STEP),
          'one point per step, aligned',
        );
      }
    }
  });

  it('error_rate is summed errors over summed logs per step (a ratio of sums, not a sum of ratios)', async () => {
    const logs = sums(world.points, 'log_count', () => true);
    const errors = sums(world.points, 'error_count', () => true);
    const body = await h.json<MetricsBody>(
      `/api/v1/metrics?name=error_rate&${range(NOW - HOUR, NOW)}&step=10m`,
      'operator',
    );
    assert.equal(body.name, 'error_rate');
    const got = flatten(body);
    assert.equal(got.size, logs.size);
    let differs = 0;
    for (const [k, total] of logs) {
      const expected = (errors.get(k) ?? 0) / total;
      const value = got.get(k);
      assert.ok(
        value !== null && value !== undefined && Math.abs(value - expected) < 1e-12,
        `${k}: ${value} vs ${expected}`,
      );
      // What a naive average of per-point rates would give, to show the data tells the two apart.
      const rates = world.points
        .filter(
          (p) =>
            p.name === 'log_count' &&
            `${p.labels.tenant}/${p.labels.service}@${Math.floor(p.bucket / STEP) * STEP}` === k,
        )
        .map((p) => {
          const e = world.points.find(
            (q) =>
              q.name === 'error_count' &&
              q.bucket === p.bucket &&
              q.labels.partition === p.labels.partition &&
              q.labels.tenant === p.labels.tenant &&
              q.labels.service === p.labels.service,
          );
          return (e?.value ?? 0) / p.value;
        });
      const naive = rates.reduce((a, b) => a + b, 0) / rates.length;
      if (Math.abs(naive - expected) > 1e-9) differs++;
    }
    assert.ok(differs > 0, 'the test data separates a ratio of sums from an average of ratios');
  });

  it('error_rate for one service; steps with no logs are gaps (null), not zero', async () => {
    const body = await h.json<MetricsBody>(
      `/api/v1/metrics?name=error_rate&service=api&${range(NOW - 2 * HOUR, NOW)}&step=10m`,
      'globex',
    );
    assert.deepEqual(
      body.series.map((s) => s.labels),
      [{ service: 'api', tenant: 'globex' }],
    );
    const points = body.series[0].points;
    assert.equal(points.length, 12);
    assert.ok(
      points.slice(0, 6).every(([, v]) => v === null),
      'the hour without data is null',
    );
    const logs = sums(
      world.points,
      'log_count',
      (p) => p.labels.tenant === 'globex' && p.labels.service === 'api',
    );
    const errors = sums(
      world.points,
      'error_count',
      (p) => p.labels.tenant === 'globex' && p.labels.service === 'api',
    );
    for (const [t, v] of points.slice(6)) {
      const k = `globex/api@${t}`;
      assert.equal(v, (errors.get(k) ?? 0) / (logs.get(k) as number));
    }
  });

  it('an unknown metric name answers an empty series list', async () => {
    const body = await h.json<MetricsBody>(
      `/api/v1/metrics?name=no_such_metric&${range(NOW - HOUR, NOW)}`,
      'acme',
    );
    assert.deepEqual(body.series, []);
  });
});
