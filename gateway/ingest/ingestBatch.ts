import type { Principal } from '../../core/auth/apiKeys.ts';
import { type EventTimeWindow, normalizeRecord } from '../../core/event/normalize.ts';
import type { LogEvent } from '../../core/event/types.ts';
import { EVENT_HEADERS } from '../../core/event/wireFormat.ts';
import { retryLater } from '../../core/http/apiError.ts';
import { ownTenant } from '../../core/http/auth.ts';
import type { RateLimiter } from '../../core/limits/rateLimiter.ts';
import { type Bus, type BusRecord, BusUnavailableError } from '../../core/ports/bus.ts';
import { tooManyRecords } from '../body/recordLimit.ts';
import type { GatewayMetrics } from '../metrics.ts';
import { checkShape } from './recordShape.ts';

export interface IngestLimits {
  maxRecords: number;
  maxFields: number;
  maxDepth: number;
  maxMessageBytes: number;
  /** Event times accepted around arrival (limits.event_time); others are filed under arrival. */
  eventTimeWindow?: EventTimeWindow;
}

export interface IngestDeps {
  bus: Bus;
  /** The raw topic's full name (prefix included). */
  topic: string;
  limits: IngestLimits;
  rateLimiter: RateLimiter;
  metrics: GatewayMetrics;
  now?: () => number;
}

// A symbol key: no decoded record (JSON has string keys only) can pass for a decoder's marker.
const PROBLEM: unique symbol = Symbol('record problem');

/** A record a protocol decoder already knows is bad (e.g. a line that is not JSON), kept for its index. */
export interface RecordProblem {
  readonly [PROBLEM]: string;
}

export function problem(reason: string): RecordProblem {
  return { [PROBLEM]: reason };
}

function isProblem(value: unknown): value is RecordProblem {
  return typeof value === 'object' && value !== null && PROBLEM in value;
}

export interface IngestOutcome {
  accepted: number;
  rejected: number;
  /** Accepted records whose own time lay outside limits.event_time, filed under their arrival time. */
  retimed: number;
  errors: Array<{ index: number; reason: string }>;
  /** The accepted events, in input order (for protocol-specific answers such as Elasticsearch's). */
  events: Array<LogEvent | null>;
}

/**
 * Validates and normalizes a batch of records for one principal, then hands the valid ones to the bus.
 * Resolves only after the bus holds them durably: the caller answers 202 only then. Invalid records are
 * refused one by one with their index; valid ones in the same batch still go through.
 */
export async function ingestBatch(
  deps: IngestDeps,
  principal: Principal,
  records: unknown[],
  protocol: string,
  defaults?: { service?: string; host?: string; env?: string },
): Promise<IngestOutcome> {
  const { limits, metrics } = deps;
  // Decoders stop at the limit already; this catches those whose records outnumber what they counted.
  if (records.length > limits.maxRecords) throw tooManyRecords(limits.maxRecords);
  const tenant = ownTenant(principal);
  const wait = deps.rateLimiter.take(tenant, records.length);
  if (wait > 0) {
    metrics.rejected.inc({ protocol, reason: 'rate_limited' }, records.length);
    throw retryLater(429, 'rate_limited', `tenant "${tenant}" is over its ingest rate; retry later`, wait);
  }

  const observedMs = (deps.now ?? Date.now)();
  const errors: IngestOutcome['errors'] = [];
  const events: Array<LogEvent | null> = [];
  const busRecords: BusRecord[] = [];
  const refuse = (index: number, why: string, code = reasonCode(why)) => {
    errors.push({ index, reason: why });
    events.push(null);
    metrics.rejected.inc({ protocol, reason: code });
  };
  // A key scoped to one service files records that name none under it.
  const services = principal.services;
  const service = defaults?.service ?? (services?.length === 1 ? services[0] : undefined);
  const context = {
    tenant,
    observedMs,
    defaults: service === undefined ? defaults : { ...defaults, service },
    window: limits.eventTimeWindow,
  };
  const seenIds = new Map<string, number>();
  // One key string per service: the Kafka clients look keys up (partition, bytes) by the string.
  const keys = new Map<string, string>();
  let retimed = 0;
  for (let i = 0; i < records.length; i++) {
    const reason = recordProblem(records[i], limits);
    const result = reason === null ? normalizeRecord(records[i], context) : null;
    if (result === null || !result.ok) {
      refuse(i, result === null ? (reason as string) : result.reason);
      continue;
    }
    const event = result.event;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: most messages need no count.
    const message = event.message;
    if (message.length * 3 > limits.maxMessageBytes && Buffer.byteLength(message) > limits.maxMessageBytes) {
      refuse(i, `message longer than ${limits.maxMessageBytes} bytes`, 'message_too_long');
      continue;
    }
    if (services !== undefined && !services.includes(event.service)) {
      refuse(
        i,
        `service "${event.service}" is outside this key's services (${services.join(', ')}); send it with a key for that service`,
        'service_not_allowed',
      );
      continue;
    }
    // Stores keep one event per id: a second record with the same id would be counted but not kept.
    const earlier = seenIds.get(event.id);
    if (earlier !== undefined) {
      refuse(i, `id "${event.id}" is already used by record ${earlier} of this batch`, 'duplicate_id');
      continue;
    }
    seenIds.set(event.id, i);
    if (result.retimed) retimed++;
    events.push(event);
    let key = keys.get(event.service);
    if (key === undefined) {
      key = `${event.tenant}/${event.service}`;
      keys.set(event.service, key);
    }
    busRecords.push({
      key,
      // Buffer.from takes small strings from Node's pooled slab; TextEncoder allocates an ArrayBuffer each.
      value: Buffer.from(JSON.stringify(event)),
      // Normalized and valid: readers downstream check this header instead of every field again.
      headers: EVENT_HEADERS,
    });
  }

  if (busRecords.length > 0) {
    try {
      await deps.bus.produce(deps.topic, busRecords);
    } catch (error) {
      metrics.busErrors.inc();
      const seconds = error instanceof BusUnavailableError ? error.retryAfterSeconds : 5;
      // Nothing of this batch is acknowledged: the client must resend all of it.
      throw retryLater(
        503,
        'bus_unavailable',
        `the log bus did not store the batch (${(error as Error).message}); retry`,
        seconds,
      );
    }
  }
  metrics.accepted.inc({ protocol }, busRecords.length);
  if (retimed > 0) metrics.retimed.inc({ protocol }, retimed);
  return { accepted: busRecords.length, rejected: errors.length, retimed, errors, events };
}

function recordProblem(record: unknown, limits: IngestLimits): string | null {
  if (isProblem(record)) return record[PROBLEM];
  return checkShape(record, limits.maxFields, limits.maxDepth);
}

function reasonCode(reason: string): string {
  if (reason.includes('fields')) return 'too_many_fields';
  if (reason.includes('nested')) return 'too_deep';
  if (reason.includes('no message')) return 'no_message';
  if (reason.includes('UTF-8')) return 'invalid_utf8';
  if (reason.includes('too large to store')) return 'number_out_of_range';
  if (reason.includes('JSON')) return 'malformed';
  return 'invalid';
}
