import { readFileSync } from 'node:fs';
import type { BusDescriptor } from '../../descriptor.ts';
import { checkKafkaBus } from './check.ts';
import { kafkaBusSchema } from './config.ts';
import { openKafkaBus } from './kafkaBus.ts';

/** `bus.kind: kafka`: a Kafka cluster through kafkajs (distributed mode). */
export const kafkaBus: BusDescriptor<typeof kafkaBusSchema> = {
  port: 'bus',
  kind: 'kafka',
  schema: kafkaBusSchema,
  open: (config, { log }) =>
    openKafkaBus({
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
  contract: { needs: 'server', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};
