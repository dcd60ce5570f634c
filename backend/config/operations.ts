// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import * as v from 'valibot';
import { hostPortSchema } from '../../core/config/fields/address.ts';
import { durationSchema } from '../../core/units/schema.ts';
import { ROLE_NAMES, ROLES } from '../roles/table.ts';
import { querySchema, tenantNameSchema, uniqueBy } from './names.ts';

export const listenSchema = v.optional(
  v.pipe(
    v.strictObject({
      gateway: v.optional(
        v.pipe(
          hostPortSchema(),
          v.description(
            'Address of the gateway (ingest, proxy). In standalone it serves the query API and UI too.',
          ),
        ),
        '127.0.0.1:8080',
      ),
      query: v.optional(
        v.pipe(
          hostPortSchema(),
          v.description(
            'Address of the query API and UI when run as its own process; standalone ignores it.',
          ),
        ),
        '127.0.0.1:8081',
      ),
      metrics: v.optional(
        v.pipe(
          hostPortSchema(),
          v.description(
            'Address of /healthz, /readyz and /metrics for a process running only worker roles (no gateway or query).',
          ),
        ),
        '127.0.0.1:9465',
      ),
      processes: v.optional(
        v.pipe(
          v.union(
            [v.literal('auto'), v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(256))],
            'expected auto or a whole number of processes ≥ 1',
          ),
          v.description(
            'Gateway processes sharing the gateway\'s port (node:cluster), for a process that runs the gateway role: `auto` is one per core. One that dies is replaced; /metrics on the port covers them all (docs/operations.md, "A gateway on every core").',
          ),
          v.metadata({ example: 'auto' }),
        ),
        1,
      ),
      otlp_grpc: v.optional(
        v.pipe(
          hostPortSchema(),
          v.description(
            "Address of the gateway's OTLP/gRPC listener (`LogsService/Export`; OTLP's port is 4317). Absent: no gRPC listener. Keys, limits and `tls` as on the HTTP listener.",
          ),
          v.metadata({ example: '0.0.0.0:4317' }),
        ),
      ),
    }),
    v.description('Where the HTTP servers listen.'),
  ),
  {},
);

export const indexerSchema = v.optional(
  v.pipe(
    v.strictObject({
      consumers: v.optional(
        v.pipe(
          v.number(),
          v.integer(),
          v.minValue(1),
          v.maxValue(64),
          v.description(
            "Members of the indexer's consumer group in each indexer process: each owns its own partitions, so one fetches while another's bulk request is in OpenSearch. More than the topic's partitions idle.",
          ),
        ),
        3,
      ),
      batch_records: v.optional(
        v.pipe(
          v.number(),
          v.integer(),
          v.minValue(100),
          v.description(
            'Largest batch the indexer hands the search store at once (the bus may hand fewer: Kafka fetches at most 4 MiB a partition).',
          ),
        ),
        20_000,
      ),
    }),
    v.description('How the indexer role feeds the search store (docs/operations.md, "Throughput").'),
  ),
  {},
);

const period = (description: string) =>
  v.pipe(durationSchema({ min: 3_600_000 }), v.description(description));
const SEARCH = 'How long events stay searchable in the search store.';
const METRICS = 'How long metric points are kept.';
const ARCHIVE = 'How long archive files are kept.';

export const retentionSchema = v.optional(
  v.pipe(
    v.strictObject({
      search: v.optional(period(SEARCH), '7d'),
      metrics: v.optional(period(METRICS), '90d'),
      archive: v.optional(period(ARCHIVE), '365d'),
      tenants: v.optional(
        v.pipe(
          v.record(
            tenantNameSchema(),
            v.strictObject({
              search: v.optional(period(SEARCH)),
              metrics: v.optional(period(METRICS)),
              archive: v.optional(period(ARCHIVE)),
            }),
          ),
          v.description(
            'Per-tenant overrides, e.g. `{ acme: { search: 30d } }`; unset periods use the defaults above.',
          ),
        ),
        {},
      ),
      interval: v.optional(
        v.pipe(durationSchema({ min: 60_000 }), v.description('How often expired data is purged.')),
        '1h',
      ),
    }),
    v.description('How long data is kept; older data is purged on schedule.'),
  ),
  {},
);

const alertRule = v.strictObject({
  name: v.pipe(
    v.string(),
    v.nonEmpty(),
    v.description('Rule name, unique.'),
    v.metadata({ example: 'checkout-errors' }),
  ),
  query: v.optional(
    v.pipe(
      querySchema(),
      v.description('Events counted; empty means all.'),
      v.metadata({ example: 'service:checkout level>=error' }),
    ),
    '',
  ),
  window: v.optional(
    v.pipe(
      durationSchema({ min: 1000 }),
      v.description('Events of the last `window` are counted at each evaluation.'),
    ),
    '5m',
  ),
  op: v.optional(
    v.pipe(v.picklist(['>', '>=', '<', '<=']), v.description('How the count compares to `threshold`.')),
    '>',
  ),
  threshold: v.pipe(
    v.number(),
    v.description('The rule fires when `count op threshold` holds.'),
    v.metadata({ example: 10 }),
  ),
  for: v.optional(
    v.pipe(durationSchema(), v.description('How long the condition must hold before firing.')),
    '0s',
  ),
  group_by: v.optional(
    v.pipe(
      v.array(v.string()),
      v.description('Fields that split the count, e.g. `[service]`; each group fires on its own.'),
    ),
    [],
  ),
  severity: v.optional(
    v.pipe(v.picklist(['info', 'warning', 'critical']), v.description('Shown in notifications.')),
    'warning',
  ),
  notify: v.optional(
    v.pipe(v.array(v.string()), v.description('Names of `alerts.notify` targets; absent means all.')),
  ),
});

const webhookTarget = v.strictObject({
  kind: v.pipe(v.literal('webhook'), v.description('Notification channel.')),
  name: v.pipe(
    v.string(),
    v.nonEmpty(),
    v.description('Target name, referred to by rules.'),
    v.metadata({ example: 'oncall' }),
  ),
  url: v.pipe(
    v.string(),
    v.url(),
    v.description('URL that receives a JSON POST per state change.'),
    v.metadata({ example: 'https://hooks.example.com/sluice' }),
  ),
  headers: v.optional(
    v.pipe(
      v.record(v.string(), v.string()),
      v.description('Extra request headers, e.g. an Authorization header from `${HOOK_TOKEN}`.'),
    ),
    {},
  ),
  timeout: v.optional(
    v.pipe(durationSchema({ min: 1 }), v.description('Longest wait for the webhook to answer.')),
    '10s',
  ),
});

const slackTarget = v.strictObject({
  kind: v.pipe(v.literal('slack'), v.description('Notification channel.')),
  name: v.pipe(v.string(), v.nonEmpty(), v.description('Target name, referred to by rules.')),
  url: v.pipe(v.string(), v.url(), v.description('Slack incoming-webhook URL.')),
});

export const alertsSchema = v.optional(
  v.pipe(
    v.strictObject({
      evaluate_every: v.optional(
        v.pipe(durationSchema({ min: 1000 }), v.description('How often rules are evaluated.')),
        '30s',
      ),
      rules: v.optional(
        v.pipe(
          v.array(alertRule),
          v.check((rules) => uniqueBy(rules, (r) => r.name), 'each rule needs its own name'),
          v.description('Alert rules from the file; rules created through the API are kept beside them.'),
        ),
        [],
      ),
      notify: v.optional(
        v.pipe(
          v.array(v.variant('kind', [webhookTarget, slackTarget])),
          v.check((targets) => uniqueBy(targets, (t) => t.name), 'each notify target needs its own name'),
          v.description('Where firing and resolved alerts are sent.'),
        ),
        [],
      ),
    }),
    v.forward(
      v.check(
        (alerts) => unknownTargets(alerts).length === 0,
        (issue) =>
          `notify names targets that alerts.notify does not define: ${unknownTargets(issue.input as AlertsInput).join(', ')}`,
      ),
      ['rules'],
    ),
    v.description('Alerting on counts of matching events.'),
  ),
  {},
);

interface AlertsInput {
  rules: Array<{ notify?: string[] }>;
  notify: Array<{ name: string }>;
}

function unknownTargets(alerts: AlertsInput): string[] {
  const defined = new Set(alerts.notify.map((target) => target.name));
  return [...new Set(alerts.rules.flatMap((rule) => rule.notify ?? []))].filter((name) => !defined.has(name));
}

export const rolesSchema = v.optional(
  v.pipe(
    v.array(v.picklist(ROLE_NAMES)),
    v.minLength(1),
    v.check((roles) => new Set(roles).size === roles.length, 'a role is listed twice'),
    v.description(
      `Which roles this process runs (docs/operations.md). All of them is standalone; split them across processes to scale. ${ROLES.filter(
        (r) => r.singleton,
      )
        .map((r) => r.name)
        .join(' and ')} run in one process at a time.`,
    ),
    v.metadata({ example: ['processor', 'indexer'] }),
  ),
  [...ROLE_NAMES],
);

export const leasesSchema = v.optional(
  v.pipe(
    v.strictObject({
      duration: v.optional(
        v.pipe(
          durationSchema({ min: 1000 }),
          v.description(
            'How long a lease lasts unless renewed (every third of it). When its holder dies another process takes over within about this long.',
          ),
        ),
        '15s',
      ),
    }),
    v.description(
      'Leases of the singleton roles, in the PostgreSQL metric store when there is one, else in `leases.db` beside the SQLite metrics file.',
    ),
  ),
  {},
);

export const logSchema = v.optional(
  v.pipe(
    v.strictObject({
      level: v.optional(
        v.pipe(
          v.picklist(['debug', 'info', 'warn', 'error']),
          v.description("Least severe level of Sluice's own log lines."),
        ),
        'info',
      ),
    }),
    v.description("Sluice's own logging (to stderr, JSON lines)."),
  ),
  {},
);
