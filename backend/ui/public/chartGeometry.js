/**
 * The arithmetic of the charts, kept apart from the DOM so it can be tested: series naming and ranking,
 * stacking, scales, ticks, and line paths that break at gaps (a null point is "no data", never zero).
 */

/** A "nice" upper bound for an axis: 1, 2 or 5 times a power of ten, at least `max`. */
export function niceMax(max) {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 5, 10]) if (m * power >= max) return m * power;
  return 10 * power;
}

/** A display name per series: the service, with the tenant in front when several tenants are shown. */
export function seriesNames(series) {
  const tenants = new Set(series.map((s) => s.labels.tenant).filter((t) => t !== undefined));
  return series.map((s) => {
    const service = s.labels.service ?? '(all)';
    return tenants.size > 1 && s.labels.tenant !== undefined ? `${s.labels.tenant}/${service}` : service;
  });
}

/**
 * The log_count series by name, the busiest `keep` first and the rest summed as "other" so the chart
 * stays readable with many services. Points are `[ts, value|null]`; `other` is null only where all are.
 */
export function rankCounts(series, keep = 6) {
  const names = seriesNames(series);
  const ranked = series
    .map((s, i) => ({
      name: names[i],
      points: s.points,
      total: s.points.reduce((a, [, v]) => a + (v ?? 0), 0),
    }))
    .sort((a, b) => b.total - a.total || a.name.localeCompare(b.name));
  if (ranked.length <= keep + 1) return ranked;
  const top = ranked.slice(0, keep);
  const rest = ranked.slice(keep);
  const points = rest[0].points.map(([t], i) => {
    let sum = null;
    for (const r of rest) {
      const v = r.points[i]?.[1];
      if (v !== null && v !== undefined) sum = (sum ?? 0) + v;
    }
    return [t, sum];
  });
  return [...top, { name: 'other', points, total: rest.reduce((a, r) => a + r.total, 0), other: true }];
}

/** Per step, the stacked [y0, y1) of each series (nulls count as 0 in a stack); and the tallest stack. */
export function stack(ranked) {
  const steps = ranked[0]?.points.length ?? 0;
  const layers = ranked.map(() => new Array(steps));
  let max = 0;
  for (let i = 0; i < steps; i++) {
    let y = 0;
    for (let s = 0; s < ranked.length; s++) {
      const v = ranked[s].points[i]?.[1] ?? 0;
      layers[s][i] = [y, y + v];
      y += v;
    }
    if (y > max) max = y;
  }
  return { layers, max };
}

/**
 * The overall error rate per step and in total, from per-series rates and counts: errors are rate × count,
 * summed, over the summed counts (a ratio of sums, like the API computes per series).
 */
export function overallRate(rateSeries, countSeries) {
  const key = (labels) => JSON.stringify(Object.entries(labels).sort());
  const counts = new Map(countSeries.map((s) => [key(s.labels), s.points]));
  let errors = 0;
  let logs = 0;
  for (const s of rateSeries) {
    const c = counts.get(key(s.labels));
    if (!c) continue;
    s.points.forEach(([, rate], i) => {
      const n = c[i]?.[1];
      if (rate === null || n === null || n === undefined) return;
      errors += rate * n;
      logs += n;
    });
  }
  return logs === 0 ? null : errors / logs;
}

/** SVG path data for a line through `points`, lifting the pen over nulls so gaps stay gaps. */
export function linePath(points, x, y) {
  let d = '';
  let drawing = false;
  for (const [t, v] of points) {
    if (v === null || v === undefined || !Number.isFinite(v)) {
      drawing = false;
      continue;
    }
    d += `${drawing ? 'L' : 'M'}${round(x(t))},${round(y(v))}`;
    drawing = true;
  }
  return d;
}

/** Points with a value but no neighbour with one: a line cannot show them, so they get a dot. */
export function isolatedPoints(points) {
  const has = (i) => points[i] !== undefined && points[i][1] !== null && Number.isFinite(points[i][1]);
  return points.filter((_, i) => has(i) && !has(i - 1) && !has(i + 1));
}

export function linearScale([d0, d1], [r0, r1]) {
  const k = d1 === d0 ? 0 : (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

const TICK_STEPS = [
  1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
].map((s) => s * 1000);

/** Round times between `from` and `to` (local time) for at most `maxTicks` labels. */
export function timeTicks(from, to, maxTicks, tzOffsetMinutes = new Date(from).getTimezoneOffset()) {
  const span = to - from;
  const step = TICK_STEPS.find((s) => span / s <= maxTicks) ?? TICK_STEPS.at(-1);
  const shift = -tzOffsetMinutes * 60_000; // align to local midnight and hours, not UTC
  const ticks = [];
  for (let t = Math.ceil((from + shift) / step) * step - shift; t <= to; t += step) ticks.push(t);
  return ticks;
}

const round = (v) => Math.round(v * 10) / 10;

const LEVEL_ORDER = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];

/**
 * The histogram's series from an aggregate answer (`<q> | stats count() by bucket(), <field>`, docs/api.md):
 * one series per value of `field`, each with a point for every bucket from the one holding `from` to the
 * one holding `to` (0 where the answer has no row), so the bars cover the whole range and nothing else.
 * Levels come most severe first; services busiest first with the rest summed as "other" (rankCounts).
 */
export function histogramSeries(answer, field, from, to) {
  const col = (name) => answer.columns.findIndex((c) => c.name === name);
  const [bi, fi, ci] = [col('bucket'), col(field), col('count()')];
  const step = answer.bucket_ms;
  if (bi < 0 || ci < 0 || !(step > 0)) return { step: null, buckets: [], series: [] };
  // Buckets are aligned the way the server aligned them: take the phase from any row (else from 0).
  const at = (v) => (typeof v === 'number' ? v : Date.parse(v));
  const phase = answer.rows.length > 0 ? ((at(answer.rows[0][bi]) % step) + step) % step : 0;
  const first = Math.floor((from - phase) / step) * step + phase;
  const buckets = [];
  for (let t = first; t < to; t += step) buckets.push(t);
  const index = new Map(buckets.map((t, i) => [t, i]));
  const byValue = new Map();
  for (const row of answer.rows) {
    const i = index.get(at(row[bi]));
    if (i === undefined) continue;
    const name = fi < 0 || row[fi] === null || row[fi] === undefined ? '(none)' : String(row[fi]);
    let points = byValue.get(name);
    if (points === undefined) {
      points = buckets.map((t) => [t, 0]);
      byValue.set(name, points);
    }
    points[i][1] += Number(row[ci]) || 0;
  }
  const series = [...byValue].map(([name, points]) => ({
    labels: { [field]: name },
    points,
  }));
  if (field === 'level') {
    const rank = (name) => {
      const i = LEVEL_ORDER.indexOf(name);
      return i < 0 ? LEVEL_ORDER.length : i;
    };
    const ranked = series
      .map((s) => ({
        name: s.labels.level,
        points: s.points,
        total: s.points.reduce((a, [, v]) => a + v, 0),
      }))
      .sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
    return { step, buckets, series: ranked };
  }
  return {
    step,
    buckets,
    series: rankCounts(series.map((s) => ({ labels: { service: s.labels[field] }, points: s.points }))),
  };
}

/** The x extent of bucket `[t, t + step)` cut to the range, so the first and last bars end at its edges. */
export function barExtent(t, step, from, to) {
  return [Math.max(t, from), Math.min(t + step, to)];
}
