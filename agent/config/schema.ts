// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import * as v from 'valibot';
import { hostPortSchema } from '../../core/config/fields/address.ts';
import { maskConfigSchema } from '../../core/mask/config.ts';
import { durationSchema, sizeSchema } from '../../core/units/schema.ts';
import { inputSchema } from './inputs.ts';

const gateway = v.strictObject({
  url: v.optional(
    v.pipe(
      v.string(),
      v.url(),
      v.regex(/^https?:\/\//, 'expected an http:// or https:// URL'),
      v.description('Base URL of the gateway; batches go to `<url>/api/v1/ingest`.'),
    ),
    'http://127.0.0.1:8080',
  ),
  api_key: v.optional(
    v.pipe(
      v.string(),
      v.nonEmpty(),
      v.description(
        'Ingest key, sent as `Authorization: Bearer`; write `"${SLUICE_KEY}"` to keep it out of the file. Absent for a standalone server on loopback.',
      ),
      v.metadata({ example: '"${SLUICE_KEY}"' }),
    ),
  ),
  compression: v.optional(
    v.pipe(v.picklist(['gzip', 'zstd', 'none']), v.description('Compression of request bodies.')),
    'gzip',
  ),
  tls: v.optional(
    v.pipe(
      v.strictObject({
        ca_file: v.optional(
          v.pipe(
            v.string(),
            v.description("PEM CA that signed the gateway's certificate; absent uses the system CAs."),
          ),
        ),
        insecure_skip_verify: v.optional(
          v.pipe(
            v.boolean(),
            v.description(
              'Accept any certificate. For tests only: it lets anyone on the path read the logs.',
            ),
          ),
          false,
        ),
      }),
      v.description('TLS settings for an https:// gateway.'),
    ),
    {},
  ),
  timeout: v.optional(
    v.pipe(
      durationSchema({ min: 100 }),
      v.description('Longest wait for the gateway to acknowledge a batch; then it is retried.'),
    ),
    '30s',
  ),
  probe_interval: v.optional(
    v.pipe(
      durationSchema(),
      v.description(
        'While backing off after failures, `GET <url>/readyz` this often (jittered) and resend as soon as it answers; `0`: wait out the backoff.',
      ),
      v.metadata({ example: '1s' }),
    ),
    '1s',
  ),
  concurrency: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.maxValue(64),
      v.description('Batches in flight at once.'),
    ),
    2,
  ),
});

/**
 * `agent.yaml`: what the agent reads, how it parses and masks it, and where it ships it, contracts.md §4.
 * An empty file is valid (ships nothing until inputs are added) and points at a standalone server on
 * 127.0.0.1:8080.
 */
export const agentConfigSchema = v.strictObject({
  gateway: v.optional(v.pipe(gateway, v.description('Where batches are sent.')), {}),
  state_dir: v.optional(
    v.pipe(
      v.string(),
      v.nonEmpty(),
      v.description(
        'Directory for checkpoints and the disk spool; must survive restarts (e.g. /var/lib/sluice-agent).',
      ),
    ),
    './data/agent',
  ),
  batch: v.optional(
    v.pipe(
      v.strictObject({
        max_events: v.optional(
          v.pipe(
            v.number(),
            v.integer(),
            v.minValue(1),
            v.description('A batch is sent when it holds this many events…'),
          ),
          1000,
        ),
        max_bytes: v.optional(
          v.pipe(sizeSchema({ min: 1024 }), v.description('…or this many bytes before compression…')),
          '1MiB',
        ),
        max_wait: v.optional(
          v.pipe(
            durationSchema({ min: 1 }),
            v.description(
              '…or when its first event has waited this long. The default keeps a line searchable within 1 s in standalone mode; under load batches fill long before it.',
            ),
          ),
          '250ms',
        ),
      }),
      v.description('When a batch is sent.'),
    ),
    {},
  ),
  spool: v.optional(
    v.pipe(
      v.strictObject({
        max_bytes: v.optional(
          v.pipe(
            sizeSchema(),
            v.description(
              'Disk used for batches while the gateway is unreachable; when full, reading pauses (files are not skipped).',
            ),
          ),
          '1GiB',
        ),
      }),
      v.description('The disk buffer used while the gateway is away.'),
    ),
    {},
  ),
  inputs: v.optional(
    v.pipe(
      v.array(inputSchema),
      v.description('What to read: files (`type: file`) or standard input (`type: stdin`).'),
    ),
    [],
  ),
  mask: v.optional(
    v.pipe(maskConfigSchema, v.description('What the agent hides before events leave the machine.')),
    {},
  ),
  edge: v.optional(
    v.pipe(
      v.strictObject({
        threads: v.optional(
          v.pipe(
            v.union([v.literal('auto'), v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(16))]),
            v.description(
              'Threads that parse, mask and serialize lines. `auto`: one per two cores (at most 4); `0`: the main thread.',
            ),
          ),
          'auto',
        ),
      }),
      v.description('Where lines are turned into events.'),
    ),
    {},
  ),
  enrich: v.optional(
    v.pipe(
      v.strictObject({
        fields: v.optional(
          v.pipe(
            v.record(v.string(), v.string()),
            v.description('Attributes added to every event, e.g. `{ env: prod, region: eu-west-1 }`.'),
          ),
          {},
        ),
        kubernetes: v.optional(
          v.pipe(
            v.picklist(['auto', 'on', 'off']),
            v.description(
              'Add pod, namespace and container from the Kubernetes API. `auto`: when running in a cluster.',
            ),
          ),
          'auto',
        ),
      }),
      v.description('Attributes the agent adds.'),
    ),
    {},
  ),
  metrics: v.optional(
    v.pipe(
      v.strictObject({
        listen: v.optional(
          v.pipe(hostPortSchema(), v.description("Address of the agent's own Prometheus /metrics.")),
          '127.0.0.1:9464',
        ),
      }),
      v.description("The agent's own metrics."),
    ),
    {},
  ),
  log: v.optional(
    v.pipe(
      v.strictObject({
        level: v.optional(
          v.pipe(
            v.picklist(['debug', 'info', 'warn', 'error']),
            v.description("Least severe level of the agent's own log lines."),
          ),
          'info',
        ),
      }),
      v.description("The agent's own logging (to stderr)."),
    ),
    {},
  ),
});

export type AgentConfig = v.InferOutput<typeof agentConfigSchema>;
