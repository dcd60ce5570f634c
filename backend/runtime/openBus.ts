import { readFileSync } from 'node:fs';
import type { Logger } from '../../core/log/logger.ts';
import type { Bus } from '../../core/ports/bus.ts';
import type { ServerConfig } from '../config/schema.ts';
import { openEmbeddedBus } from '../engines/bus/embedded/embeddedBus.ts';
import { openKafkaBus } from '../engines/bus/kafka/kafkaBus.ts';
import { allTopics, type Topics, topicNames } from './topics.ts';

/** Opens the bus that `bus.kind` names and makes sure the four topics exist. */
export async function openBus(
  config: ServerConfig['bus'],
  log: Logger,
): Promise<{ bus: Bus; topics: Topics }> {
  if (config.kind === 'kafka') {
    const topics = topicNames(config.topic_prefix);
    const bus = await openKafkaBus({
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
    });
    await bus.ensureTopics(allTopics(topics));
    return { bus, topics };
  }
  const topics = topicNames();
  const busLog = log.child({ component: 'embedded-bus' });
  const bus = await openEmbeddedBus({
    dir: config.dir,
    partitions: config.partitions,
    fsync: config.fsync,
    fsyncIntervalMs: config.fsync_interval,
    segmentBytes: config.segment_bytes,
    retention: { maxAgeMs: config.retention.max_age, maxBytes: config.retention.max_bytes },
    onEvent: (event) => busLog.info(`bus ${event.type}`, event as unknown as Record<string, unknown>),
  });
  await bus.ensureTopics(allTopics(topics));
  return { bus, topics };
}
