import { readFileSync } from 'node:fs';
import type { Bus } from '../../../../core/ports/bus.ts';
import type { BusDescriptor } from '../../descriptor.ts';
import { checkKafkaBus } from './check.ts';
import { type KafkaClientName, kafkaBusSchema } from './config.ts';
import { type KafkaBusOptions, openKafkaBus } from './kafkaBus.ts';

/** @platformatic/kafka is loaded only when the config names it. */
const OPEN: Record<KafkaClientName, (options: KafkaBusOptions) => Promise<Bus>> = {
  kafkajs: openKafkaBus,
  platformatic: async (options) =>
    (await import('./platformatic/platformaticBus.ts')).openPlatformaticBus(options),
};

/** `bus.kind: kafka`: a Kafka cluster (distributed mode), through the client `bus.client` names. */
export const kafkaBus: BusDescriptor<typeof kafkaBusSchema> = {
  port: 'bus',
  kind: 'kafka',
  schema: kafkaBusSchema,
  open: (config, { log }) =>
    OPEN[config.client]({
      brokers: config.brokers,
      clientId: config.client_id,
      partitions: config.partitions,
      replication: config.replication,
      sasl: config.sasl,
      ssl:
        config.ssl === undefined
          ? undefined
          : {
              ca: config.ssl.ca_file === undefined ? undefined : readFileSync(config.ssl.ca_file),
              cert: config.ssl.cert_file === undefined ? undefined : readFileSync(config.ssl.cert_file),
              key: config.ssl.key_file === undefined ? undefined : readFileSync(config.ssl.key_file),
              rejectUnauthorized: !config.ssl.insecure_skip_verify,
            },
      log,
    }),
  topicPrefix: (config) => config.topic_prefix,
  check: checkKafkaBus,
  // @platformatic/kafka takes about a CPU-second to load: not something the broker's answer should wait on.
  prepareCheck: async (config) =>
    config.client === 'platformatic' ? import('./platformatic/check.ts') : undefined,
  contract: { needs: 'server', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};
