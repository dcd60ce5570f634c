import { type EventTimeWindow, setAttr } from '../../../core/event/normalize.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import {
  createParser,
  type Format,
  type LineParser,
  lineEvent,
  SHIPPED_PARSE_ATTR,
} from '../../../core/parse/index.ts';
import type { Stage } from './types.ts';

/** Formats the agent ships unparsed (its SERVER_FORMATS); regex never is: its groups may name secrets. */
const SHIPPABLE = new Set<string>(['json', 'logfmt', 'plain']);

/**
 * Lines the agent shipped unparsed (`parse: server`): an event whose message is the masked line and whose
 * `sluice.parse` attribute names its format. Parsed here with the agent's own lineEvent(), so the event
 * is the one `parse: edge` would have made: the line's fields, the agent's id, observed time and
 * defaults, and the agent's attributes where the line has none of that name.
 *
 * One exception keeps ingest keys meaningful: the service stays the one the gateway accepted (a key may
 * be limited to some services); a line naming another one keeps it as the attribute `service`. The
 * agent builds such lines at the edge, so this only bites records not shipped by the agent.
 */
export function shippedParseStage(window?: EventTimeWindow): Stage {
  const parsers = new Map<string, LineParser>();
  const parserFor = (format: string): LineParser | undefined => {
    if (!SHIPPABLE.has(format)) return undefined;
    let parse = parsers.get(format);
    if (parse === undefined) {
      parse = createParser({ format: format as Format });
      parsers.set(format, parse);
    }
    return parse;
  };
  return (events) => {
    let out = events;
    for (let i = 0; i < events.length; i++) {
      const format = events[i].attrs[SHIPPED_PARSE_ATTR];
      if (format === undefined) continue;
      if (out === events) out = events.slice();
      out[i] = parseShipped(
        events[i],
        typeof format === 'string' ? parserFor(format) : undefined,
        format,
        window,
      );
    }
    return out;
  };
}

function parseShipped(
  event: LogEvent,
  parse: LineParser | undefined,
  format: unknown,
  window?: EventTimeWindow,
): LogEvent {
  const { [SHIPPED_PARSE_ATTR]: _, ...shipped } = event.attrs;
  // An unknown format (a newer agent, a hand-made record) leaves the line as it came, hint dropped.
  if (parse === undefined) return { ...event, attrs: shipped };
  const parsed = lineEvent(
    parse(event.message),
    event.message,
    {
      tenant: event.tenant,
      observedMs: Date.parse(event.observed_ts),
      defaults: { service: event.service, host: event.host, env: event.env },
      id: event.id,
      window,
    },
    format !== 'plain',
  );
  if (parsed.service !== event.service) {
    if (!Object.hasOwn(parsed.attrs, 'service')) setAttr(parsed.attrs, 'service', parsed.service);
    parsed.service = event.service;
  }
  for (const key in shipped) if (!Object.hasOwn(parsed.attrs, key)) setAttr(parsed.attrs, key, shipped[key]);
  return parsed;
}
