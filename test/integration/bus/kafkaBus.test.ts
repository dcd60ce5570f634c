import { before } from 'node:test';
import { runBusContract } from '../../../backend/engines/bus/contract/busContract.ts';
import { openKafkaBus } from '../../../backend/engines/bus/kafka/kafkaBus.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { engineSettings, isolate, requireEngines } from '../../helpers/engines.ts';

before(() => requireEngines('kafka'));

// The same behaviour the embedded log is held to, against the real broker from deploy/local.
runBusContract('kafka', async () => {
  const iso = isolate('bus-contract', ['kafka']);
  const bus = await openKafkaBus({
    brokers: engineSettings().kafkaBrokers,
    partitions: 3,
    replication: 1,
    log: silentLogger,
  });
  return {
    bus,
    topic: (suffix) => `${iso.topicPrefix}${suffix}`,
    cleanup: async () => {
      await bus.close();
      await iso.cleanup();
    },
  };
});
