import type { Principal } from '../../core/auth/apiKeys.ts';
import { normalizeRecord } from '../../core/event/normalize.ts';
import type { LogEvent } from '../../core/event/types.ts';
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

/** A record a protocol decoder already knows is bad (e.g. a line that is not JSON), kept for its index. */
export interface RecordProblem {
  problem: string;
}

export function problem(reason: string): RecordProblem {
  return { problem: reason };
}

function isProblem(value: unknown): value is RecordProblem {
  return typeof value === 'object' && value !== null && 'problem' in value && Object.keys(value).length === 1;
}

export interface IngestOutcome {
  accepted: number;
  rejected: number;
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
  for (let i = 0; i < records.length; i++) {
    const reason = recordProblem(records[i], limits);
    const result = reason === null ? normalizeRecord(records[i], { tenant, observedMs, defaults }) : null;
    if (result === null || !result.ok) {
      const why = result === null ? (reason as string) : result.reason;
      errors.push({ index: i, reason: why });
      events.push(null);
      metrics.rejected.inc({ protocol, reason: reasonCode(why) });
      continue;
    }
    const event = result.event;
    if (Buffer.byteLength(event.message) > limits.maxMessageBytes) {
      errors.push({ index: i, reason: `message longer than ${limits.maxMessageBytes} bytes` });
      events.push(null);
      metrics.rejected.inc({ protocol, reason: 'message_too_long' });
      continue;
    }
    events.push(event);
    busRecords.push({
      key: `${event.tenant}/${event.service}`,
      // Buffer.from takes small strings from Node's pooled slab; TextEncoder allocates an ArrayBuffer each.
      value: Buffer.from(JSON.stringify(event)),
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
  return { accepted: busRecords.length, rejected: errors.length, errors, events };
}

function recordProblem(record: unknown, limits: IngestLimits): string | null {
  if (isProblem(record)) return record.problem;
  return checkShape(record, limits.maxFields, limits.maxDepth);
}

function reasonCode(reason: string): string {
  if (reason.includes('fields')) return 'too_many_fields';
  if (reason.includes('nested')) return 'too_deep';
  if (reason.includes('no message')) return 'no_message';
  if (reason.includes('UTF-8')) return 'invalid_utf8';
  if (reason.includes('JSON')) return 'malformed';
  return 'invalid';
}
