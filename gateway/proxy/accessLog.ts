import { normalizeRecord } from '../../core/event/normalize.ts';
import { EVENT_HEADERS } from '../../core/event/wireFormat.ts';
import type { Logger } from '../../core/log/logger.ts';
import type { Bus } from '../../core/ports/bus.ts';

export interface AccessRecord {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  bytesIn: number;
  bytesOut: number;
  upstream: string;
  /** Tenant and service the route's access events are recorded under. */
  tenant: string;
  service: string;
  correlationId: string;
  /**
   * `client`: the ID came with the request, unauthenticated, so it is the client's claim (kept: that is
   * how services chain a request); `gateway`: minted here. Filed as `correlation.source`.
   */
  correlationSource: 'client' | 'gateway';
  traceId?: string;
  spanId?: string;
  clientIp?: string;
}

export interface AccessLog {
  record(entry: AccessRecord): void;
  /** Sends what is buffered; called on a timer and at shutdown. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/**
 * The gateway's access events go into the same pipeline as every other log (the raw topic), batched so a
 * busy proxy makes one bus write per interval, not one per request. If the bus is down the batch is kept
 * and retried, up to a bound; past it the oldest entries are dropped and counted in the log.
 */
export function createAccessLog(options: {
  bus: Bus;
  topic: string;
  host?: string;
  log: Logger;
  flushIntervalMs?: number;
  maxBuffered?: number;
}): AccessLog {
  const { bus, topic, log } = options;
  const maxBuffered = options.maxBuffered ?? 50_000;
  let buffer: AccessRecord[] = [];
  let flushing: Promise<void> | null = null;
  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 200);
  timer.unref();

  async function sendBuffer(): Promise<void> {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    const now = Date.now();
    const records = batch.map((entry) => {
      const result = normalizeRecord(toRecord(entry, options.host), {
        tenant: entry.tenant,
        observedMs: now,
      });
      if (!result.ok) throw new Error(result.reason); // cannot happen: every access record has a message
      const e = result.event;
      return {
        key: `${e.tenant}/${e.service}`,
        value: encoder.encode(JSON.stringify(e)),
        headers: EVENT_HEADERS,
      };
    });
    try {
      await bus.produce(topic, records);
    } catch (error) {
      buffer = batch.concat(buffer);
      const overflow = buffer.length - maxBuffered;
      if (overflow > 0) {
        buffer = buffer.slice(overflow);
        log.error('access log buffer full while the bus is down; dropped the oldest entries', {
          dropped: overflow,
        });
      }
      log.warn('access events not stored yet; will retry', {
        error: (error as Error).message,
        pending: buffer.length,
      });
    }
  }

  function flush(): Promise<void> {
    flushing ??= sendBuffer().finally(() => {
      flushing = null;
    });
    return flushing;
  }

  return {
    record(entry) {
      buffer.push(entry);
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
      await flush();
    },
  };
}

function toRecord(e: AccessRecord, host?: string): Record<string, unknown> {
  return {
    ts: Date.now() - Math.round(e.durationMs),
    service: e.service,
    host,
    level: e.status >= 500 ? 'error' : e.status >= 400 ? 'warn' : 'info',
    message: `${e.method} ${e.path} ${e.status} ${Math.round(e.durationMs)}ms`,
    correlation_id: e.correlationId,
    trace_id: e.traceId,
    span_id: e.spanId,
    attrs: {
      'http.method': e.method,
      'http.path': e.path,
      'http.status': e.status,
      duration_ms: Math.round(e.durationMs * 1000) / 1000,
      'http.request_bytes': e.bytesIn,
      'http.response_bytes': e.bytesOut,
      upstream: e.upstream,
      'client.ip': e.clientIp,
      kind: 'access',
      'correlation.source': e.correlationSource,
    },
  };
}
