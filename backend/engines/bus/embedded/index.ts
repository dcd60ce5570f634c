import type { BusDescriptor } from '../../descriptor.ts';
import { checkEmbeddedBus } from './check.ts';
import { embeddedBusSchema } from './config.ts';
import { openEmbeddedBus } from './embeddedBus.ts';

/** `bus.kind: embedded`: the durable log in a local directory (standalone and single-host setups). */
export const embeddedBus: BusDescriptor<typeof embeddedBusSchema> = {
  port: 'bus',
  kind: 'embedded',
  schema: embeddedBusSchema,
  async open(config, { log }) {
    const busLog = log.child({ component: 'embedded-bus' });
    return openEmbeddedBus({
      dir: config.dir,
      partitions: config.partitions,
      fsync: config.fsync,
      fsyncIntervalMs: config.fsync_interval,
      segmentBytes: config.segment_bytes,
      retention: { maxAgeMs: config.retention.max_age, maxBytes: config.retention.max_bytes },
      onEvent: (event) => busLog.info(`bus ${event.type}`, event as unknown as Record<string, unknown>),
    });
  },
  // One directory per deployment: there is no cluster to share, so no prefix.
  topicPrefix: () => '',
  check: checkEmbeddedBus,
  contract: { needs: 'embedded', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};
