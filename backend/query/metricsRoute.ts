import type { Context } from 'hono';
import { ApiError } from '../../core/http/apiError.ts';
import type { AuthEnv } from '../../core/http/auth.ts';
import type { MetricSeries } from '../../core/ports/metricStore.ts';
import { parseDuration } from '../../core/units/duration.ts';
import type { QueryDeps } from './deps.ts';
import { timeRange, withQueryTimeout } from './params.ts';
import { scopeOf } from './scope.ts';

const DEFAULT_SPAN_MS = 60 * 60_000;
const MAX_POINTS = 11_000;

/**
 * `GET /api/v1/metrics?name=&service=&from=&to=&step=`: series aligned to `step`, gaps as null.
 * `error_rate` is computed here from the summed error and log counts of each step (a ratio of sums, never
 * a sum of ratios), so it stays right across partitions and coarse steps.
 */
export async function metricsRoute(c: Context<AuthEnv>, deps: QueryDeps): Promise<Response> {
  const p = c.req.query();
  if (p.name === undefined || !/^[a-z_][a-z0-9_]{0,63}$/.test(p.name)) {
    throw new ApiError(
      400,
      'bad_metric_name',
      '`name` is required: log_count, error_count, error_rate, late_events or a configured aggregate',
    );
  }
  const scope = scopeOf(c.get('principal'), p.tenant);
  const range = timeRange(p.from, p.to, deps.now(), DEFAULT_SPAN_MS, deps.limits);
  const step = stepParam(p.step, range);
  if (scope.services !== undefined && p.service !== undefined && !scope.services.includes(p.service)) {
    throw new ApiError(403, 'forbidden', `this key may not read service "${p.service}"`);
  }
  const labels: Record<string, string> = {};
  if (scope.tenant !== null) labels.tenant = scope.tenant;
  if (p.service !== undefined && p.service !== '') labels.service = p.service;
  const query = (name: string, aggregation: 'sum' | 'max' | 'min' | 'avg') =>
    deps.metrics.query({ name, labels, range, step, aggregation });

  let series = await withQueryTimeout(
    p.name === 'error_rate'
      ? Promise.all([query('error_count', 'sum'), query('log_count', 'sum')]).then(([errors, logs]) =>
          ratio(errors, logs),
        )
      : query(p.name, deps.aggregationOf(p.name)),
    deps.limits.timeoutMs,
  );
  // A scoped key sees only its services' series.
  if (scope.services !== undefined)
    series = series.filter((s) => scope.services!.includes(s.labels.service ?? ''));
  return c.json({ name: p.name, step, series });
}

function stepParam(value: string | undefined, range: { from: number; to: number }): number {
  let step: number;
  if (value === undefined || value === '') {
    // About 120 points, in whole minutes.
    step = Math.max(60_000, Math.ceil((range.to - range.from) / 120 / 60_000) * 60_000);
  } else {
    try {
      step = parseDuration(value);
    } catch (error) {
      throw new ApiError(400, 'bad_step', `step: ${(error as Error).message}`);
    }
  }
  if (step < 1000) throw new ApiError(400, 'bad_step', '`step` must be at least 1s');
  if ((range.to - range.from) / step > MAX_POINTS) {
    throw new ApiError(
      400,
      'too_many_points',
      `the range at this step gives over ${MAX_POINTS} points per series; use a larger step`,
    );
  }
  return step;
}

function ratio(errors: MetricSeries[], logs: MetricSeries[]): MetricSeries[] {
  const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort());
  const errorsBy = new Map(errors.map((s) => [key(s.labels), s]));
  return logs.map((s) => {
    const e = errorsBy.get(key(s.labels));
    return {
      labels: s.labels,
      points: s.points.map(([t, total], i): [number, number | null] => {
        if (total === null || total === 0) return [t, null];
        return [t, (e?.points[i][1] ?? 0) / total];
      }),
    };
  });
}
