import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MetricStore } from '../../../../core/ports/metricStore.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

/**
 * Behaviour every MetricStore adapter must have. Registered once per adapter, against the real engine
 * (SQLite file, PostgreSQL server), so the two stay interchangeable.
 */
export function runMetricStoreContract(
  name: string,
  open: () => Promise<{ store: MetricStore; cleanup(): Promise<void> }>,
) {
  describe(`MetricStore contract: ${name}`, () => {
    let store: MetricStore;
    let cleanup: () => Promise<void>;

    before(async () => {
      ({ store, cleanup } = await open());
      await store.init();
      await store.init(); // migrations are idempotent
    });

    after(async () => {
      await store.close();
      await cleanup();
    });

    it('upserts: writing a point again overwrites its value instead of adding', async () => {
      const labels = { tenant: 'acme', service: 'web' };
      await store.upsert([{ name: 'log_count', labels, bucket: T0, value: 5 }]);
      await store.upsert([
        { name: 'log_count', labels: { service: 'web', tenant: 'acme' }, bucket: T0, value: 7 },
      ]);
      const [series] = await store.query({
        name: 'log_count',
        labels,
        range: { from: T0, to: T0 + MIN },
        step: MIN,
      });
      assert.deepEqual(series.points, [[T0, 7]]);
    });

    it('aligns to the step, sums across partitions, and leaves gaps as null', async () => {
      const points = [0, 1, 3].flatMap((m) =>
        [0, 1].map((partition) => ({
          name: 'error_count',
          labels: { tenant: 'acme', service: 'api', partition: String(partition) },
          bucket: T0 + m * MIN,
          value: m + 1,
        })),
      );
      await store.upsert(points);
      const [series] = await store.query({
        name: 'error_count',
        labels: { tenant: 'acme' },
        range: { from: T0, to: T0 + 4 * MIN },
        step: MIN,
      });
      assert.deepEqual(series.labels, { tenant: 'acme', service: 'api' });
      assert.deepEqual(series.points, [
        [T0, 2],
        [T0 + MIN, 4],
        [T0 + 2 * MIN, null],
        [T0 + 3 * MIN, 8],
      ]);
      const [coarse] = await store.query({
        name: 'error_count',
        labels: { tenant: 'acme' },
        range: { from: T0, to: T0 + 4 * MIN },
        step: 2 * MIN,
      });
      assert.deepEqual(coarse.points, [
        [T0, 6],
        [T0 + 2 * MIN, 8],
      ]);
    });

    it('filters by labels, keeps series apart, and combines with max, min and avg', async () => {
      await store.upsert([
        { name: 'latency_p95', labels: { tenant: 't2', service: 'a' }, bucket: T0, value: 100 },
        { name: 'latency_p95', labels: { tenant: 't2', service: 'a' }, bucket: T0 + MIN, value: 300 },
        { name: 'latency_p95', labels: { tenant: 't2', service: 'b' }, bucket: T0, value: 50 },
        { name: 'latency_p95', labels: { tenant: 'other', service: 'a' }, bucket: T0, value: 999 },
      ]);
      const q = {
        name: 'latency_p95',
        labels: { tenant: 't2' },
        range: { from: T0, to: T0 + 2 * MIN },
        step: 2 * MIN,
      };
      const byMax = await store.query({ ...q, aggregation: 'max' });
      assert.deepEqual(
        byMax.map((s) => [s.labels.service, s.points[0][1]]),
        [
          ['a', 300],
          ['b', 50],
        ],
      );
      const [avg] = await store.query({ ...q, aggregation: 'avg', labels: { tenant: 't2', service: 'a' } });
      assert.equal(avg.points[0][1], 200);
      const [min] = await store.query({ ...q, aggregation: 'min', groupBy: ['tenant'] });
      assert.deepEqual(min.labels, { tenant: 't2' });
      assert.equal(min.points[0][1], 50);
    });

    it('treats label values as data, never as query syntax', async () => {
      const hostile = { tenant: "x' OR 1=1 --", service: 'a"b' };
      await store.upsert([{ name: 'log_count', labels: hostile, bucket: T0, value: 1 }]);
      const series = await store.query({
        name: 'log_count',
        labels: hostile,
        range: { from: T0, to: T0 + MIN },
        step: MIN,
      });
      assert.equal(series.length, 1);
      assert.deepEqual(series[0].labels, hostile);
    });

    it('drops points before a time, and only lists them in a dry run', async () => {
      const labels = { tenant: 'ret', service: 'x' };
      await store.upsert([
        { name: 'log_count', labels, bucket: T0 - 10 * 24 * 60 * MIN, value: 1 },
        { name: 'log_count', labels, bucket: T0, value: 2 },
      ]);
      const range = { from: T0 - 11 * 24 * 60 * MIN, to: T0 + MIN };
      const listed = await store.dropBefore(T0 - 24 * 60 * MIN, { dryRun: true });
      assert.ok(listed.length > 0);
      const count = async () => {
        const series = await store.query({ name: 'log_count', labels, range, step: 24 * 60 * MIN });
        return series.flatMap((s) => s.points).reduce((total, [, v]) => total + (v ?? 0), 0);
      };
      assert.equal(await count(), 3);
      await store.dropBefore(T0 - 24 * 60 * MIN);
      assert.equal(await count(), 2);
    });
  });
}
