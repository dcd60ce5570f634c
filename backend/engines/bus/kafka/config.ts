// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import * as v from 'valibot';
import { hostPortListItemSchema, splitHostPortLists } from '../../../../core/config/fields/address.ts';
import { positiveInt } from '../../../../core/config/fields/count.ts';

/** The Kafka client libraries Sluice can talk to Kafka with; docs/bus.md compares them. */
export const KAFKA_CLIENTS = ['kafkajs', 'platformatic'] as const;
export type KafkaClientName = (typeof KAFKA_CLIENTS)[number];

/** Kafka, through kafkajs or @platformatic/kafka. Its `kind:` variant of sluice.yaml; docs/configuration.md is generated from the descriptions. */
export const kafkaBusSchema = v.strictObject({
  kind: v.pipe(v.literal('kafka'), v.description('Which bus to use.')),
  client: v.optional(
    v.pipe(
      v.picklist(KAFKA_CLIENTS),
      v.description(
        'Kafka client library: `kafkajs` or `platformatic` (@platformatic/kafka). Same topics, partitioning and guarantees; `platformatic` spends less CPU per record (docs/bus.md).',
      ),
    ),
    'kafkajs',
  ),
  brokers: v.optional(
    v.pipe(
      v.array(hostPortListItemSchema()),
      v.transform(splitHostPortLists),
      v.minLength(1),
      v.description(
        'Bootstrap brokers, `host:port`; an item may hold several separated by commas (`["${SLUICE_KAFKA_BROKERS}"]`).',
      ),
    ),
    ['127.0.0.1:9092'],
  ),
  topic_prefix: v.optional(
    v.pipe(
      v.string(),
      v.description('Put before every topic name: `<prefix>logs.raw`. Use it to share one cluster.'),
    ),
    '',
  ),
  partitions: v.optional(
    v.pipe(
      positiveInt(),
      v.description('Partitions of topics Sluice creates; the most consumers one group can use.'),
    ),
    12,
  ),
  replication: v.optional(
    v.pipe(
      positiveInt(),
      v.description('Replication factor of topics Sluice creates; 3 keeps data through one broker loss.'),
    ),
    3,
  ),
  client_id: v.optional(
    v.pipe(v.string(), v.nonEmpty(), v.description('Kafka client id, shown in broker logs and quotas.')),
    'sluice',
  ),
  sasl: v.optional(
    v.pipe(
      v.strictObject({
        mechanism: v.optional(
          v.pipe(v.picklist(['plain', 'scram-sha-256', 'scram-sha-512']), v.description('SASL mechanism.')),
          'scram-sha-512',
        ),
        username: v.pipe(v.string(), v.description('SASL user name.'), v.metadata({ example: 'sluice' })),
        password: v.pipe(
          v.string(),
          v.description('SASL password; use `${KAFKA_PASSWORD}`.'),
          v.metadata({ example: '${KAFKA_PASSWORD}' }),
        ),
      }),
      v.description('SASL authentication; absent means none.'),
    ),
  ),
  ssl: v.optional(
    v.pipe(
      v.strictObject({
        ca_file: v.optional(
          v.pipe(
            v.string(),
            v.description(
              "PEM file of the CA that signed the brokers' certificates; absent uses the system CAs.",
            ),
          ),
        ),
        cert_file: v.optional(v.pipe(v.string(), v.description('PEM client certificate, for mutual TLS.'))),
        key_file: v.optional(v.pipe(v.string(), v.description('PEM private key of `cert_file`.'))),
        insecure_skip_verify: v.optional(
          v.pipe(v.boolean(), v.description('Accept any broker certificate. For tests only.')),
          false,
        ),
      }),
      v.description('Connect with TLS; present (even `{}`) turns it on.'),
    ),
  ),
});
