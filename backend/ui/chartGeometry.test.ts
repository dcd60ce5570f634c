import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

// The browser module under test: plain JavaScript, loaded by URL so TypeScript treats it as untyped.
const g = await import(new URL('./public/chartGeometry.js', import.meta.url).href);

type Point = [number, number | null];
const identity = (v: number) => v;
const series = (service: string, values: Array<number | null>, tenant = 'acme') => ({
  labels: { service, tenant },
  points: values.map((v, i): Point => [i * 60_000, v]),
});

describe('chart geometry', () => {
  it('lifts the pen over nulls, so a gap in the data is a gap in the line', () => {
    const points: Point[] = [
      [0, 1],
      [1, 2],
      [2, null],
      [3, 4],
      [4, 5],
    ];
    assert.equal(g.linePath(points, identity, identity), 'M0,1L1,2M3,4L4,5');
    assert.equal(g.linePath([[0, null]], identity, identity), '');
  });

  it('marks points with no neighbour, which a line alone would not show', () => {
    const points: Point[] = [
      [0, 1],
      [1, null],
      [2, 3],
      [3, null],
      [4, 0],
      [5, 0],
    ];
    assert.deepEqual(g.isolatedPoints(points), [
      [0, 1],
      [2, 3],
    ]);
  });

  it('keeps the busiest services and sums the rest as "other", null only where all were', () => {
    const input = [
      series('a', [1, 1]),
      series('b', [5, 5]),
      series('c', [null, 2]),
      series('d', [null, 1]),
      series('e', [3, 3]),
    ];
    const ranked = g.rankCounts(input, 2);
    assert.deepEqual(
      ranked.map((r: { name: string }) => r.name),
      ['b', 'e', 'other'],
    );
    assert.deepEqual(ranked[2].points, [
      [0, 1],
      [60_000, 4],
    ]);
    assert.equal(g.rankCounts(input, 4).length, 5, 'one left over is shown by name, not as "other"');
  });

  it('names series by service, with the tenant only when several tenants are shown', () => {
    assert.deepEqual(g.seriesNames([series('a', []), series('b', [])]), ['a', 'b']);
    assert.deepEqual(g.seriesNames([series('a', [], 't1'), series('a', [], 't2')]), ['t1/a', 't2/a']);
  });

  it('stacks per step with nulls as zero', () => {
    const { layers, max } = g.stack([
      { points: series('a', [1, null]).points },
      { points: series('b', [2, 3]).points },
    ]);
    assert.deepEqual(layers, [
      [
        [0, 1],
        [0, 0],
      ],
      [
        [1, 3],
        [0, 3],
      ],
    ]);
    assert.equal(max, 3);
  });

  it('computes the overall error rate as a ratio of sums, never an average of rates', () => {
    const counts = [series('a', [100, null]), series('b', [1, 1])];
    const rates = [series('a', [0.01, null]), series('b', [1, 0])];
    assert.equal(g.overallRate(rates, counts), 2 / 102);
    assert.equal(g.overallRate([], []), null);
  });

  it('rounds axis maxima up to 1, 2 or 5 times a power of ten', () => {
    assert.equal(g.niceMax(0), 1);
    assert.equal(g.niceMax(0.034), 0.05);
    assert.equal(g.niceMax(180), 200);
    assert.equal(g.niceMax(200), 200);
    assert.equal(g.niceMax(201), 500);
    assert.equal(g.niceMax(7000), 10_000);
  });

  it('puts time ticks on round local times, no more than asked for', () => {
    const from = Date.UTC(2026, 10, 23, 11, 47, 13);
    const to = from + 3_600_000;
    const ticks = g.timeTicks(from, to, 6, 0);
    assert.ok(ticks.length <= 6 && ticks.length >= 3);
    assert.equal(ticks[1] - ticks[0], 10 * 60_000);
    for (const t of ticks) {
      assert.equal(t % (10 * 60_000), 0);
      assert.ok(t >= from && t <= to);
    }
    // In UTC+2 (offset -120) day ticks fall on local midnight.
    const week = g.timeTicks(Date.UTC(2026, 10, 20), Date.UTC(2026, 10, 27), 8, -120);
    for (const t of week) assert.equal((t + 2 * 3_600_000) % 86_400_000, 0);
  });
});

describe('histogram from an aggregate answer', () => {
  const answer = (rows: unknown[][], bucketMs = 60_000) => ({
    columns: [
      { name: 'bucket', type: 'time' },
      { name: 'level', type: 'string' },
      { name: 'count()', type: 'number' },
    ],
    rows,
    bucket_ms: bucketMs,
    took_ms: 1,
  });
  const iso = (ms: number) => new Date(ms).toISOString();

  it('has a bucket for every step of the range, 0 where no row, levels most severe first', () => {
    const from = 90_000; // mid-bucket: the first bar starts at the range, not at its bucket
    const to = 330_000;
    const h = g.histogramSeries(
      answer([
        [iso(60_000), 'info', 4],
        [iso(120_000), 'error', 2],
        [iso(120_000), 'info', 1],
        [iso(300_000), 'warn', 3],
        [iso(600_000), 'info', 9], // outside the range: not drawn
      ]),
      'level',
      from,
      to,
    );
    assert.deepEqual(h.buckets, [60_000, 120_000, 180_000, 240_000, 300_000]);
    assert.deepEqual(
      h.series.map((s: { name: string; total: number }) => [s.name, s.total]),
      [
        ['error', 2],
        ['warn', 3],
        ['info', 5],
      ],
    );
    assert.deepEqual(
      h.series[2].points.map((p: Point) => p[1]),
      [4, 1, 0, 0, 0],
    );
    assert.deepEqual(g.barExtent(60_000, 60_000, from, to), [90_000, 120_000]);
    assert.deepEqual(g.barExtent(300_000, 60_000, from, to), [300_000, 330_000]);
  });

  it('follows buckets the server did not align to the minute, and services are ranked with "other"', () => {
    const rows = [];
    for (let s = 0; s < 9; s++) rows.push([iso(5_000 + 10_000), `svc-${s}`, 10 - s]);
    const answerRows = answer(rows, 10_000);
    answerRows.columns[1].name = 'service';
    const h = g.histogramSeries(answerRows, 'service', 0, 40_000);
    assert.deepEqual(h.buckets, [-5_000, 5_000, 15_000, 25_000, 35_000]);
    assert.equal(h.series.length, 7);
    assert.equal(h.series.at(-1).name, 'other');
    assert.equal(h.series.at(-1).total, 4 + 3 + 2);
  });

  it('is empty without a bucket size', () => {
    assert.deepEqual(g.histogramSeries({ ...answer([]), bucket_ms: null }, 'level', 0, 1).series, []);
  });
});
