import type { EventTimeWindow } from '../../core/event/normalize.ts';
import type { LogEvent } from '../../core/event/types.ts';
import type { Logger } from '../../core/log/logger.ts';
import { createMasker } from '../../core/mask/index.ts';
import type { Counter } from '../../core/metrics/registry.ts';
import { compileToPredicate, parseQuery } from '../../core/query/index.ts';
import type { ServerConfig } from '../config/schema.ts';
import { enrichStage } from './stages/enrich.ts';
import { filterStage } from './stages/filter.ts';
import { maskStage } from './stages/mask.ts';
import { parseStage } from './stages/parse.ts';
import { filePodLabels } from './stages/podLabels.ts';
import { sampleStage } from './stages/sample.ts';
import { shippedParseStage } from './stages/shipped.ts';
import type { Stage } from './stages/types.ts';

/** Compiles query text from config into a predicate (the text was checked when the config loaded). */
export function compileWhere(query: string): (event: LogEvent) => boolean {
  if (query.trim() === '') return () => true;
  return compileToPredicate(parseQuery(query));
}

/**
 * The processor's stages in the order the config documents: parse (lines agents shipped unparsed
 * first), enrich, filter, sample, mask.
 * (Windowed aggregation runs on the result, per partition, in the processor role.)
 */
export function buildPipeline(
  processing: ServerConfig['processing'],
  deps: { dropped: Counter; sampledOut: Counter; log: Logger; eventTimeWindow?: EventTimeWindow },
): Stage {
  const counters = {
    dropped: (rule: string, n: number) => deps.dropped.inc({ rule }, n),
    sampledOut: (rule: string, n: number) => deps.sampledOut.inc({ rule }, n),
  };
  const stages: Stage[] = [
    // Lines an agent shipped unparsed (`parse: server`) become the events it would have made.
    shippedParseStage(deps.eventTimeWindow),
    parseStage(processing.parse, deps.eventTimeWindow),
    enrichStage({
      fields: processing.enrich.fields,
      services: processing.enrich.services,
      podLabels:
        processing.enrich.pod_labels_file === undefined
          ? undefined
          : filePodLabels(processing.enrich.pod_labels_file, deps.log),
    }),
    filterStage(
      processing.filter.map((r) => ({ when: r.when, matches: compileWhere(r.when) })),
      counters,
    ),
    sampleStage(
      processing.sample.map((r) => ({
        when: r.when ?? '*',
        matches: compileWhere(r.when ?? ''),
        rate: r.rate,
      })),
      counters,
    ),
    maskStage(createMasker(processing.mask)),
  ];
  return (events) => {
    let out = events;
    for (const stage of stages) {
      if (out.length === 0) break;
      out = stage(out);
    }
    return out;
  };
}
