import { engineSettings, isolate, requireEngines } from '../../../../test/helpers/engines.ts';
import type { ContractFixture } from '../../descriptor.ts';

export const fixtures = {
  // The broker from deploy/local; the isolation's topic prefix keeps each run's topics and groups apart.
  'deploy/local broker': async (): Promise<ContractFixture> => {
    await requireEngines('kafka');
    const iso = isolate('bus-contract', ['kafka']);
    return {
      config: {
        kind: 'kafka',
        brokers: engineSettings().kafkaBrokers,
        topic_prefix: iso.topicPrefix,
        partitions: 3,
        replication: 1,
      },
      cleanup: () => iso.cleanup(),
    };
  },
};
