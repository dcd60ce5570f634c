import * as v from 'valibot';
import type { EventTimeWindow } from '../../core/event/normalize.ts';
import type { ServerLimits } from '../../core/http/listen.ts';
import { durationSchema, sizeSchema } from '../../core/units/schema.ts';
import { tenantNameSchema, uniqueBy } from './names.ts';

export const ROLES = ['ingest', 'read', 'admin', 'operator'] as const;

const apiKeyFields = v.strictObject({
  name: v.pipe(
    v.string(),
    v.nonEmpty(),
    v.description('Who or what holds the key; shown in audit logs, never the key itself.'),
    v.metadata({ example: 'checkout-agents' }),
  ),
  key_sha256: v.pipe(
    v.string(),
    v.regex(
      /^[0-9a-f]{64}$/i,
      'expected 64 hex characters, the SHA-256 of the key (printf %s "$KEY" | sha256sum)',
    ),
    v.description('SHA-256 of the key, hex; the key itself is never stored.'),
    v.metadata({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' }),
  ),
  tenant: v.optional(
    v.pipe(
      tenantNameSchema(),
      v.description(
        'Tenant of everything ingested, read or administered with this key; required, except on `operator` keys, which may not have one.',
      ),
      v.metadata({ example: 'acme' }),
    ),
  ),
  roles: v.pipe(
    v.array(v.picklist(ROLES)),
    v.minLength(1),
    v.description(
      'What the key may do in its tenant: `ingest` logs, `read` (search, trace, tail, metrics, alerts), `admin` (all of that and alert rules). `operator` reads and administers every tenant (`?tenant=` picks one) and has no tenant; it cannot ingest.',
    ),
    v.metadata({ example: ['ingest'] }),
  ),
  services: v.optional(
    v.pipe(
      v.array(v.string()),
      v.description("Services this key may ingest as or read; absent means all of the tenant's."),
    ),
  ),
});

/** An operator manages every tenant, so it may not be tied to one; every other key must be. */
const apiKey = v.pipe(
  apiKeyFields,
  v.check(
    (key) => !key.roles.includes('operator') || key.tenant === undefined,
    'an operator key manages every tenant and cannot be given one: remove `tenant`, or use the `admin` role for one tenant',
  ),
  v.check(
    (key) => !key.roles.includes('operator') || (key.services === undefined && !key.roles.includes('ingest')),
    'an operator key cannot ingest nor be limited to services: give those to a key of the tenant',
  ),
  v.check(
    (key) => key.roles.includes('operator') || key.tenant !== undefined,
    'the key needs a `tenant` (only `operator` keys have none)',
  ),
);

export const authSchema = v.optional(
  v.pipe(
    v.strictObject({
      keys: v.optional(
        v.pipe(
          v.array(apiKey),
          v.check((keys) => uniqueBy(keys, (key) => key.name), 'each key needs its own name'),
          v.check(
            (keys) => uniqueBy(keys, (key) => key.key_sha256.toLowerCase()),
            'the same key_sha256 appears twice',
          ),
          v.description('API keys. With none, the server serves loopback only and refuses other addresses.'),
        ),
        [],
      ),
      default_tenant: v.optional(
        v.pipe(
          tenantNameSchema(),
          v.description('Tenant of events ingested without keys (loopback-only mode).'),
        ),
        'default',
      ),
    }),
    v.description('Who may ingest and read.'),
  ),
  {},
);

const route = v.strictObject({
  prefix: v.pipe(
    v.string(),
    v.regex(/^\/\S*$/, 'expected a path prefix starting with "/", such as /orders'),
    v.description('Requests whose path starts with this go to `upstream`.'),
    v.metadata({ example: '/orders' }),
  ),
  upstream: v.pipe(
    v.string(),
    v.url(),
    v.regex(/^https?:\/\//, 'expected an http:// or https:// URL'),
    v.description('Base URL of the service.'),
    v.metadata({ example: 'http://127.0.0.1:9001' }),
  ),
  timeout: v.optional(
    v.pipe(
      durationSchema({ min: 1 }),
      v.description("Longest wait for the upstream's response headers; then 504."),
    ),
    '30s',
  ),
  tenant: v.optional(
    v.pipe(tenantNameSchema(), v.description('Tenant of the access events this route records.')),
    'default',
  ),
  service: v.optional(
    v.pipe(
      v.string(),
      v.description('Service name on the access events; absent means the prefix without its leading "/".'),
    ),
  ),
});

export const proxySchema = v.optional(
  v.pipe(
    v.strictObject({
      routes: v.optional(
        v.pipe(
          v.array(route),
          v.check((routes) => uniqueBy(routes, (r) => r.prefix), 'two routes have the same prefix'),
          v.description('Reverse-proxy routes; the longest matching prefix wins.'),
        ),
        [],
      ),
    }),
    v.description(
      'The gateway as a reverse proxy in front of services: it sets X-Correlation-ID and records access events.',
    ),
  ),
  {},
);

const rate = v.strictObject({
  events_per_second: v.optional(
    v.pipe(
      v.number(),
      v.minValue(1),
      v.description('Sustained events per second per tenant; absent means no limit.'),
    ),
  ),
  burst: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.description("Events a tenant may send at once above the rate; absent means one second's worth."),
    ),
  ),
});

const positiveInt = (description: string) =>
  v.pipe(v.number(), v.integer(), v.minValue(1), v.description(description));

const queryLimits = v.optional(
  v.pipe(
    v.strictObject({
      per_key_rate: v.optional(
        positiveInt('Query API requests per second per key; over it: 429 with Retry-After.'),
        50,
      ),
      per_key_burst: v.optional(positiveInt('Requests a key may make at once above the rate.'), 100),
      timeout: v.optional(
        v.pipe(
          durationSchema({ min: 1 }),
          v.description('Longest a query may run; then 408 `query_timeout` and its store work is cancelled.'),
        ),
        '10s',
      ),
      max_range: v.optional(
        v.pipe(
          durationSchema({ min: 60_000 }),
          v.description('Widest `from`–`to` range of one request; wider answers 400 `range_too_large`.'),
        ),
        '31d',
      ),
      max_limit: v.optional(
        v.pipe(
          v.number(),
          v.integer(),
          v.minValue(1),
          v.maxValue(5000),
          v.description('Largest `limit` of one search page (at most 5000).'),
        ),
        1000,
      ),
      max_query_length: v.optional(positiveInt('Longest `q`, in characters; longer answers 400.'), 4096),
      total_bound: v.optional(
        v.pipe(
          v.number(),
          v.integer(),
          v.minValue(0),
          v.description('`total` is exact up to this many hits, then reported as a lower bound (`gte`).'),
        ),
        10_000,
      ),
    }),
    v.description('Bounds on what one key may ask of the query API.'),
  ),
  {},
);

const serverLimits = v.optional(
  v.pipe(
    v.strictObject({
      header_timeout: v.optional(
        v.pipe(
          durationSchema({ min: 100 }),
          v.description(
            'Time a client has to send the request headers; then 408 and the connection is closed.',
          ),
        ),
        '10s',
      ),
      request_timeout: v.optional(
        v.pipe(
          durationSchema({ min: 100 }),
          v.description(
            'Time a client has to send the whole request, body included; then 408. At least `header_timeout`.',
          ),
        ),
        '60s',
      ),
      keep_alive_timeout: v.optional(
        v.pipe(
          durationSchema({ min: 100 }),
          v.description('How long an idle keep-alive connection stays open.'),
        ),
        '5s',
      ),
      max_connections: v.optional(
        positiveInt('Open connections at once per listener; more are closed as they arrive.'),
        1024,
      ),
      per_key_concurrency: v.optional(
        positiveInt(
          'Requests one API key may have in progress at once; more answer 429 with Retry-After. Requests without a key are bounded by `max_connections`.',
        ),
        64,
      ),
    }),
    v.check((s) => s.request_timeout >= s.header_timeout, 'request_timeout must be at least header_timeout'),
    v.description(
      'Bounds on what one connection or key may hold of an HTTP listener, so slow clients never hold a worker.',
    ),
  ),
  {},
);

const eventTime = v.optional(
  v.pipe(
    v.strictObject({
      max_age: v.optional(
        v.pipe(
          durationSchema({ min: 60_000 }),
          v.description(
            'Oldest event time accepted, before arrival; an older event is kept but filed under its arrival time, its own time in the `sluice.original_ts` attribute. Absent: 7 days, or `retention.search` if shorter. Set it to take older events as they are (a backfill into the archive).',
          ),
          v.metadata({ example: '30d' }),
        ),
      ),
      max_ahead: v.optional(
        v.pipe(
          durationSchema({ min: 0 }),
          v.description(
            'Furthest event time accepted after arrival (clock skew); a later event is filed under its arrival time the same way.',
          ),
        ),
        '1h',
      ),
    }),
    v.description(
      'Event times accepted around arrival, so a wrong clock or a hostile client cannot create a search day or archive folder per far-off date.',
    ),
  ),
  {},
);

export const limitsSchema = v.optional(
  v.pipe(
    v.strictObject({
      query: queryLimits,
      server: serverLimits,
      event_time: eventTime,
      max_body: v.optional(
        v.pipe(
          sizeSchema({ min: 1024 }),
          v.description('Largest request body, after decompression; larger answers 413.'),
        ),
        '10MiB',
      ),
      max_records: v.optional(
        v.pipe(v.number(), v.integer(), v.minValue(1), v.description('Most records in one ingest request.')),
        10_000,
      ),
      max_line: v.optional(
        v.pipe(
          sizeSchema({ min: 256 }),
          v.description(
            'Largest message of one record; a record with a longer one is refused with a reason.',
          ),
        ),
        '1MiB',
      ),
      max_fields: v.optional(
        v.pipe(
          v.number(),
          v.integer(),
          v.minValue(1),
          v.description(
            'Most fields in one record (scalar values, nested ones counted); a record with more is refused with a reason.',
          ),
        ),
        1000,
      ),
      max_depth: v.optional(
        v.pipe(
          v.number(),
          v.integer(),
          v.minValue(1),
          v.description('Deepest nesting of one record; a deeper record is refused with a reason.'),
        ),
        20,
      ),
      rate: v.optional(
        v.pipe(
          v.strictObject({
            ...rate.entries,
            tenants: v.optional(
              v.pipe(
                v.record(tenantNameSchema(), rate),
                v.description('Per-tenant overrides of `events_per_second` and `burst`.'),
              ),
              {},
            ),
          }),
          v.description('Ingest rate per tenant; over it the gateway answers 429 with Retry-After.'),
        ),
        {},
      ),
    }),
    v.description(
      'Bounds on what one request or tenant may send to the gateway, and (`query`) ask of the query API.',
    ),
  ),
  {},
);

export const tlsSchema = v.optional(
  v.pipe(
    v.strictObject({
      cert_file: v.pipe(
        v.string(),
        v.description('PEM certificate chain.'),
        v.metadata({ example: '/etc/sluice/tls.crt' }),
      ),
      key_file: v.pipe(
        v.string(),
        v.description('PEM private key.'),
        v.metadata({ example: '/etc/sluice/tls.key' }),
      ),
    }),
    v.description('Serve HTTPS on the listen addresses; absent means plain HTTP.'),
  ),
);

/** `limits.server` as core/http/listen.ts takes it. */
export function serverLimitsOf(server: v.InferOutput<typeof serverLimits>): ServerLimits {
  return {
    headersTimeoutMs: server.header_timeout,
    requestTimeoutMs: server.request_timeout,
    keepAliveTimeoutMs: server.keep_alive_timeout,
    maxConnections: server.max_connections,
    perKeyConcurrency: server.per_key_concurrency,
  };
}

const DEFAULT_MAX_EVENT_AGE_MS = 7 * 86_400_000;

/** The event-time window of `limits.event_time`; unset, no wider back than search retention. */
export function eventTimeWindowOf(
  limits: v.InferOutput<typeof eventTime>,
  searchRetentionMs: number,
): EventTimeWindow {
  const backMs = limits.max_age ?? Math.min(DEFAULT_MAX_EVENT_AGE_MS, searchRetentionMs);
  return { backMs, aheadMs: limits.max_ahead };
}
