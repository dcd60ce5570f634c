import { type EventTimeWindow, normalizeRecord } from '../../../core/event/normalize.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import { createParser } from '../../../core/parse/index.ts';
import type { Stage } from './types.ts';

export interface ParseRule {
  service: string;
  format: 'auto' | 'json' | 'logfmt' | 'regex' | 'plain' | 'nginx' | 'apache' | 'syslog';
  pattern?: string;
}

/**
 * Parses the raw text message of each event by its service's rule (the first rule naming the service,
 * or `*`) and merges what the line says into the event: its own time, level, correlation ID and fields.
 * The event's id, tenant, observed time and existing attributes are kept; the line's values win over
 * defaults the shipper filled in, which is why a parsed `ts` replaces the observed one.
 */
export function parseStage(rules: readonly ParseRule[], window?: EventTimeWindow): Stage {
  if (rules.length === 0) return (events) => events;
  const parsers = new Map<string, ((line: string) => Record<string, unknown>) | null>();
  const parserFor = (service: string) => {
    let p = parsers.get(service);
    if (p === undefined) {
      const rule = rules.find((r) => r.service === service) ?? rules.find((r) => r.service === '*');
      p =
        rule === undefined
          ? null
          : (createParser({ format: rule.format, pattern: rule.pattern }) as (
              line: string,
            ) => Record<string, unknown>);
      parsers.set(service, p);
    }
    return p;
  };
  return (events) =>
    events.map((event) => {
      const parse = parserFor(event.service);
      return parse === null ? event : merge(event, parse(event.message), window);
    });
}

function merge(event: LogEvent, parsed: Record<string, unknown>, window?: EventTimeWindow): LogEvent {
  const record: Record<string, unknown> = {
    id: event.id,
    ts: event.ts,
    observed_ts: event.observed_ts,
    level: event.level,
    service: event.service,
    host: event.host,
    env: event.env,
    correlation_id: event.correlation_id,
    trace_id: event.trace_id,
    span_id: event.span_id,
    attrs: event.attrs,
    ...parsed,
  };
  // A parsed `attrs` object (from a JSON line) adds to the event's attributes instead of replacing them.
  if (parsed.attrs !== undefined && typeof parsed.attrs === 'object')
    record.attrs = { ...event.attrs, ...(parsed.attrs as object) };
  // The line's own time is bounded around the observed time as the gateway bounds a record's.
  const result = normalizeRecord(record, {
    tenant: event.tenant,
    observedMs: Date.parse(event.observed_ts),
    window,
  });
  return result.ok ? result.event : event;
}
