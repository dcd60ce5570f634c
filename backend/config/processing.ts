import * as v from 'valibot';
import { regexSchema } from '../../core/config/fields/regex.ts';
import { maskConfigSchema } from '../../core/mask/config.ts';
import { FORMATS } from '../../core/parse/types.ts';
import { durationSchema } from '../../core/units/schema.ts';
import { metricNameSchema, querySchema, uniqueBy } from './names.ts';

const BUILTIN_METRICS = ['log_count', 'error_count', 'error_rate'];
const AGGREGATES = ['count', 'count_by', 'sum', 'avg', 'min', 'max', 'p50', 'p95', 'p99'] as const;

const fieldMap = () => v.record(v.string(), v.string());

const enrich = v.strictObject({
  fields: v.optional(
    v.pipe(
      fieldMap(),
      v.description('Attributes added to every event that lacks them, e.g. `{ region: eu-west-1 }`.'),
    ),
    {},
  ),
  services: v.optional(
    v.pipe(
      v.record(v.string(), fieldMap()),
      v.description('Attributes added per service: `{ checkout: { team: payments } }`.'),
    ),
    {},
  ),
  pod_labels_file: v.optional(
    v.pipe(
      v.string(),
      v.description(
        'JSON file `{ "<pod name>": { "<label>": "<value>" } }`, re-read every minute; events with a `k8s.pod.name` attribute get `k8s.pod.labels.<label>` attributes.',
      ),
    ),
  ),
});

const parseRule = v.pipe(
  v.strictObject({
    service: v.pipe(
      v.string(),
      v.nonEmpty(),
      v.description('Events of this service have their message parsed; `*` means every service.'),
      v.metadata({ example: 'nginx' }),
    ),
    format: v.pipe(
      v.picklist(FORMATS, `expected one of ${FORMATS.join(', ')}`),
      v.description('How the message is read: json, logfmt, regex, plain, nginx, apache, syslog or auto.'),
    ),
    pattern: v.optional(
      v.pipe(
        regexSchema({ namedGroups: true }),
        v.description('For `format: regex`: named groups become fields (`__` in a name stands for a dot).'),
      ),
    ),
  }),
  v.check(
    (c) => (c.format === 'regex') === (c.pattern !== undefined),
    'format regex needs a pattern, and only it takes one',
  ),
);

const filterRule = v.strictObject({
  when: v.pipe(
    querySchema(),
    v.nonEmpty(),
    v.description('Events matching this query are acted on.'),
    v.metadata({ example: 'level:debug service:healthcheck' }),
  ),
  action: v.optional(v.pipe(v.picklist(['drop']), v.description('What to do with matching events.')), 'drop'),
});

const sampleRule = v.strictObject({
  when: v.optional(
    v.pipe(querySchema(), v.description('Events matching this query are sampled; absent means all events.')),
  ),
  rate: v.pipe(
    v.number(),
    v.minValue(0),
    v.maxValue(1),
    v.description(
      'Fraction kept, 0 to 1. The choice is by event id, so a redelivered event gets the same decision.',
    ),
    v.metadata({ example: 0.1 }),
  ),
});

const windowRule = v.pipe(
  v.strictObject({
    name: v.pipe(
      metricNameSchema(),
      v.description('Metric name the results are stored and queried under.'),
      v.metadata({ example: 'checkout_p95_ms' }),
    ),
    kind: v.optional(
      v.pipe(
        v.picklist(['tumbling', 'hopping', 'sliding']),
        v.description(
          '`tumbling`: back-to-back windows of `size`. `hopping`: windows of `size` starting every `hop`. `sliding`: hopping windows with a fine step (`hop`, default a tenth of `size`), as Flink calls them.',
        ),
      ),
      'tumbling',
    ),
    size: v.pipe(
      durationSchema({ min: 1000 }),
      v.description('Length of one window.'),
      v.metadata({ example: '1m' }),
    ),
    hop: v.optional(
      v.pipe(
        durationSchema({ min: 1000 }),
        v.description(
          'How far apart windows start: required for `kind: hopping`, optional for `sliding` (default `size`/10), at most `size`.',
        ),
      ),
    ),
    allowed_lateness: v.optional(
      v.pipe(
        durationSchema(),
        v.description(
          'How long after a window ends late events still count; later ones are dropped and counted in a metric.',
        ),
      ),
      '1m',
    ),
    aggregate: v.optional(
      v.pipe(v.picklist(AGGREGATES), v.description('What to compute over the events of a window.')),
      'count',
    ),
    field: v.optional(
      v.pipe(
        v.string(),
        v.nonEmpty(),
        v.description(
          'Attribute aggregated (`sum`, `avg`, `min`, `max`, `p50`, `p95`, `p99`: numeric) or counted by (`count_by`).',
        ),
        v.metadata({ example: 'duration_ms' }),
      ),
    ),
    where: v.optional(
      v.pipe(querySchema(), v.description('Only events matching this query count; absent means all.')),
    ),
  }),
  v.forward(
    v.check(
      (w) => (w.kind === 'hopping' ? w.hop !== undefined : w.kind === 'sliding' || w.hop === undefined),
      'required with kind: hopping, optional with sliding, not allowed with tumbling',
    ),
    ['hop'],
  ),
  v.forward(
    v.check(
      (w) => w.hop === undefined || w.hop <= w.size,
      'must be at most size, or events would fall between windows',
    ),
    ['hop'],
  ),
  v.forward(
    v.check(
      (w) => w.aggregate === 'count' || w.field !== undefined,
      (issue) => `required with aggregate: ${(issue.input as { aggregate: string }).aggregate}`,
    ),
    ['field'],
  ),
  v.forward(
    v.check(
      (w) => !BUILTIN_METRICS.includes(w.name),
      `taken by a built-in metric (${BUILTIN_METRICS.join(', ')}); choose another name`,
    ),
    ['name'],
  ),
);

const builtinMetrics = v.strictObject({
  enabled: v.optional(
    v.pipe(
      v.boolean(),
      v.description(
        'Compute log_count, error_count and error_rate per tenant and service, in windows of `size`.',
      ),
    ),
    true,
  ),
  size: v.optional(
    v.pipe(durationSchema({ min: 1000 }), v.description('Window (and resolution) of the built-in metrics.')),
    '1m',
  ),
  allowed_lateness: v.optional(
    v.pipe(durationSchema(), v.description('How long late events still count in built-in metrics.')),
    '1m',
  ),
});

export const processingSchema = v.optional(
  v.pipe(
    v.strictObject({
      parse: v.optional(
        v.pipe(
          v.array(parseRule),
          v.description(
            'Parsing of raw text messages per service; the first rule naming the service applies.',
          ),
        ),
        [],
      ),
      enrich: v.optional(v.pipe(enrich, v.description('Attributes added by the processor.')), {}),
      filter: v.optional(
        v.pipe(v.array(filterRule), v.description('Rules applied in order; the first match decides.')),
        [],
      ),
      sample: v.optional(
        v.pipe(
          v.array(sampleRule),
          v.description('Keep only a fraction of matching events; the first matching rule applies.'),
        ),
        [],
      ),
      mask: v.optional(
        v.pipe(
          maskConfigSchema,
          v.description(
            "What the processor hides before events are stored (same shape as agent.yaml's mask).",
          ),
        ),
        {},
      ),
      windows: v.optional(
        v.pipe(
          v.array(windowRule),
          v.check((list) => uniqueBy(list, (w) => w.name), 'each window needs its own name'),
          v.description('Windowed aggregates stored as metrics, beside the built-in ones.'),
        ),
        [],
      ),
      builtin_metrics: v.optional(
        v.pipe(builtinMetrics, v.description('The metrics every installation has.')),
        {},
      ),
    }),
    v.description(
      'What the processor does to each event between logs.raw and logs.enriched, in this order: parse, enrich, filter, sample, mask, then windows.',
    ),
  ),
  {},
);
