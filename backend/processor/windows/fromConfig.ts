import type { LogEvent } from '../../../core/event/types.ts';
import type { ServerConfig } from '../../config/schema.ts';
import type { AggregateKind, AggregateSpec, WindowEngineOptions } from './types.ts';

type ProcessingConfig = Pick<ServerConfig['processing'], 'windows' | 'builtin_metrics'>;
/** Turns a `where` query into a predicate; the processor passes core/query's parse + compileToPredicate. */
export type CompileWhere = (query: string) => (event: LogEvent) => boolean;

/**
 * Engine options (minus partition and resume) from `processing.windows` and
 * `processing.builtin_metrics` of sluice.yaml, already validated and with durations in ms.
 */
export function windowOptionsFromConfig(
  processing: ProcessingConfig,
  compileWhere: CompileWhere,
): Omit<WindowEngineOptions, 'partition' | 'resume'> {
  const builtin = processing.builtin_metrics;
  return {
    builtinMetrics: builtin.enabled,
    builtinWindowMs: builtin.size,
    allowedLatenessMs: builtin.allowed_lateness,
    aggregates: processing.windows.map((rule): AggregateSpec => {
      const aggregate: AggregateKind = rule.aggregate;
      return {
        name: rule.name,
        kind: rule.kind,
        sizeMs: rule.size,
        hopMs: rule.hop,
        allowedLatenessMs: rule.allowed_lateness,
        aggregate,
        // The config names one field for both: the one counted by (count_by) or aggregated (numeric).
        ...(aggregate === 'count_by' ? { by: rule.field } : { field: rule.field }),
        where: rule.where === undefined ? undefined : compileWhere(rule.where),
      };
    }),
  };
}
