import { BUILTIN_AGGREGATE, BUILTIN_METRICS } from './builtinMetrics.ts';
import type { ResolvedAggregate } from './configuredAggregate.ts';
import { LATE_EVENTS_METRIC } from './lateEvents.ts';
import type { AggregateSpec } from './types.ts';
import { windowShape } from './windowShape.ts';

export const DEFAULT_TOP = 10;
const TAKEN_NAMES = new Set<string>([...BUILTIN_METRICS, LATE_EVENTS_METRIC, BUILTIN_AGGREGATE]);
/** Labels every point already has; a count_by field with one of these names would overwrite it. */
const BASE_LABELS = new Set(['tenant', 'service', 'partition']);

/** A configured aggregate that cannot run; the message names the aggregate and what to change. */
export class AggregateSpecError extends Error {
  readonly code = 'aggregate_invalid';
  readonly aggregate: string;
  constructor(aggregate: string, message: string) {
    super(`aggregate ${JSON.stringify(aggregate)}: ${message}`);
    this.name = 'AggregateSpecError';
    this.aggregate = aggregate;
  }
}

export function resolveAggregates(
  specs: readonly AggregateSpec[],
  defaults: { latenessMs: number; lateUpdatesMs: number },
): ResolvedAggregate[] {
  const names = new Set<string>();
  return specs.map((spec) => {
    const fail = (message: string): never => {
      throw new AggregateSpecError(spec.name, message);
    };
    // Prometheus metric names, as the config schema requires: the query API and exporters take them as is.
    if (!/^[a-z_][a-z0-9_]*$/.test(spec.name))
      fail('names are lower-case letters, digits and _, not starting with a digit');
    if (TAKEN_NAMES.has(spec.name))
      fail(`the name is taken by a built-in metric (${[...TAKEN_NAMES].join(', ')})`);
    if (names.has(spec.name)) fail('two aggregates have this name');
    names.add(spec.name);

    if (spec.aggregate === 'count_by') {
      if (!spec.by) fail('count_by needs `by`: the field whose values are counted');
      if (BASE_LABELS.has(spec.by!)) fail(`by: ${spec.by} is already a label of every point`);
      if (spec.top !== undefined && (!Number.isSafeInteger(spec.top) || spec.top < 1))
        fail('top must be a whole number ≥ 1');
    } else if (spec.aggregate !== 'count' && !spec.field) {
      fail(`${spec.aggregate} needs \`field\`: the numeric field to aggregate (e.g. latency_ms)`);
    }

    let shape: ResolvedAggregate['shape'];
    try {
      shape = windowShape(spec.kind, spec.sizeMs, spec.hopMs);
    } catch (error) {
      return fail((error as Error).message);
    }
    const latenessMs = spec.allowedLatenessMs ?? defaults.latenessMs;
    const lateUpdatesMs = spec.lateUpdatesMs ?? defaults.lateUpdatesMs;
    if (!(latenessMs >= 0) || !(lateUpdatesMs >= 0))
      fail('allowed_lateness and late_updates cannot be negative');
    return { spec: { ...spec, top: spec.top ?? DEFAULT_TOP }, shape, latenessMs, lateUpdatesMs };
  });
}
