import type { LogEvent } from '../../../../core/event/types.ts';

/** Hour starts used across the archive tests: 2026-11-23 12:00 UTC and neighbours. */
export const H12 = Date.UTC(2026, 10, 23, 12);
export const HOUR = 3_600_000;

let sequence = 0;

/** A valid event at `ms` (plus overrides; an override `undefined` removes the field); ids are unique per call. */
export function testEvent(ms: number, overrides: Partial<LogEvent> = {}): LogEvent {
  sequence++;
  const event: LogEvent = {
    id: `0193f2c4-7b1e-7cc2-9a43-${sequence.toString(16).padStart(12, '0')}`,
    ts: new Date(ms).toISOString(),
    observed_ts: new Date(ms + 7).toISOString(),
    level: 'info',
    service: 'checkout',
    host: 'node-7',
    env: 'prod',
    tenant: 'acme',
    correlation_id: '0193f2c4-7b1e-7cc2-9a43-5d2e8f1a6b90',
    message: `event ${sequence}`,
    attrs: { 'http.status': 200, seq: sequence },
    ...overrides,
  };
  for (const [key, value] of Object.entries(event))
    if (value === undefined) delete event[key as keyof LogEvent];
  return event;
}

/** `count` events spread over the hour starting at `hour`, in time order. */
export function hourOfEvents(hour: number, count: number, overrides: Partial<LogEvent> = {}): LogEvent[] {
  return Array.from({ length: count }, (_, i) => testEvent(hour + Math.floor((i * HOUR) / count), overrides));
}

/** Events in the order the archive returns them (by time, ties in write order). */
export function byTime(events: readonly LogEvent[]): LogEvent[] {
  return [...events].sort((a, b) => Date.parse(a.ts) - Date.parse(b.ts));
}
