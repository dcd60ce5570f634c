import { engineSettings, isolate, requireEngines } from '../../../../test/helpers/engines.ts';
import type { ContractFixture } from '../../descriptor.ts';
import { KAFKA_CLIENTS, type KafkaClientName } from './config.ts';

/** The suite runs once per client library, against the same broker. */
export const fixtures = Object.fromEntries(
  KAFKA_CLIENTS.map((client) => [`deploy/local broker, ${client}`, () => brokerFixture(client)]),
);

// The broker from deploy/local; the isolation's topic prefix keeps each run's topics and groups apart.
async function brokerFixture(client: KafkaClientName): Promise<ContractFixture> {
  await requireEngines('kafka');
  const iso = isolate('bus-contract', ['kafka']);
  return {
    config: {
      kind: 'kafka',
      client,
      brokers: engineSettings().kafkaBrokers,
      topic_prefix: iso.topicPrefix,
      partitions: 3,
      replication: 1,
    },
    cleanup: () => iso.cleanup(),
  };
}
