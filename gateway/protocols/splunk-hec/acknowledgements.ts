import type { Hono, MiddlewareHandler } from 'hono';
import type { AuthEnv } from '../../../core/http/auth.ts';
import type { Bus } from '../../../core/ports/bus.ts';
import { refusalsAs } from '../refusals.ts';
import { HecError, hecRefusal } from './answer.ts';

/** Splunk's channels are GUIDs; anything else is refused as Splunk refuses it (code 11). */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Most ack ids one `/ack` request may ask about. */
const MAX_ACKS = 10_000;

/**
 * The request's channel (`X-Splunk-Request-Channel` or `?channel=`), undefined when it names none;
 * 400 code 11 for one that is not a GUID.
 */
export function requestChannel(headers: Headers, query: URLSearchParams): string | undefined {
  const channel = headers.get('x-splunk-request-channel') ?? query.get('channel') ?? undefined;
  if (channel === undefined) return undefined;
  if (!GUID.test(channel)) throw new HecError(400, 11, 'Invalid data channel: a channel is a GUID');
  return channel;
}

let nextAckId = 0;

/**
 * Indexer acknowledgement, as HEC clients with `useACK` (Vector's default) expect it: a request that
 * names a channel gets an `ackId` in its Success answer, and `/services/collector/ack` says whether
 * those ids are stored. Sluice answers Success only once the bus holds the events durably, so every
 * ackId it has handed out is already acknowledged: `/ack` answers `true` for each id asked, in any
 * gateway process (no state to share behind a load balancer). Ids are unique per process, not
 * counted per channel from 0 as Splunk does; clients only match them.
 */
export function newAckId(): number {
  const id = nextAckId;
  nextAckId = (nextAckId + 1) % Number.MAX_SAFE_INTEGER;
  return id;
}

/** `POST /services/collector/ack` and `GET /services/collector/health`, in Splunk's answer shapes. */
export function mountHecServiceRoutes(app: Hono<AuthEnv>, auth: MiddlewareHandler<AuthEnv>, bus: Bus): void {
  const refusals = refusalsAs(hecRefusal);
  for (const path of ['/services/collector/ack', '/services/collector/ack/1.0'])
    app.post(path, refusals, auth, async (c) => {
      if (requestChannel(c.req.raw.headers, new URL(c.req.url).searchParams) === undefined)
        throw new HecError(400, 10, 'Data channel is missing');
      const ids = ackIds(await c.req.text().catch(() => ''));
      return c.json({ acks: Object.fromEntries(ids.map((id) => [String(id), true])) });
    });
  // Unauthenticated, as Splunk's: load balancers and shippers probe it before sending.
  for (const path of ['/services/collector/health', '/services/collector/health/1.0'])
    app.get(path, async (c) => {
      if (await bus.ready().catch(() => false)) return c.json({ text: 'HEC is healthy', code: 17 });
      c.header('Retry-After', '5');
      return c.json({ text: 'HEC is unhealthy, queues are full', code: 18 }, 503);
    });
}

function ackIds(text: string): number[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HecError(400, 6, 'Invalid data format: expected {"acks": [ids]}');
  }
  const acks = (body as { acks?: unknown } | null)?.acks;
  if (
    !Array.isArray(acks) ||
    acks.length > MAX_ACKS ||
    !acks.every((id) => Number.isSafeInteger(id) && id >= 0)
  )
    throw new HecError(
      400,
      6,
      `Invalid data format: expected {"acks": [ids]}, at most ${MAX_ACKS} non-negative integers`,
    );
  return acks as number[];
}
