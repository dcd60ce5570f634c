import { uuidv7 } from '../../core/ids/uuidv7.ts';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * An incoming correlation ID is kept only when it is short and made of safe characters: it is copied
 * into upstream requests, responses and every service's logs, so anything that could smuggle header
 * syntax, markup or unbounded data is replaced by a fresh UUIDv7.
 */
const SAFE_CORRELATION_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function correlationIdFor(incoming: string | null): { id: string; minted: boolean } {
  if (incoming !== null && SAFE_CORRELATION_ID.test(incoming)) return { id: incoming, minted: false };
  return { id: uuidv7(), minted: true };
}

/** W3C trace context: `00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`, all-zero ids invalid. */
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

export function parseTraceparent(header: string | null): { traceId: string; spanId: string } | null {
  if (header === null) return null;
  const m = TRACEPARENT.exec(header.trim());
  if (m === null || m[1] === '0'.repeat(32) || m[2] === '0'.repeat(16) || header.startsWith('ff'))
    return null;
  return { traceId: m[1], spanId: m[2] };
}
