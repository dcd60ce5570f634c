import type { Logger } from '../../core/log/logger.ts';
import type { Bus } from '../../core/ports/bus.ts';
import type { ServerConfig } from '../config/schema.ts';
import type { BusDescriptor } from '../engines/descriptor.ts';
import { BUS, engineFor } from '../engines/registry.ts';
import { allTopics, type Topics, topicNames } from './topics.ts';

/** Opens the bus that `bus.kind` names (backend/engines/registry.ts) and makes sure the four topics exist. */
export async function openBus(
  config: ServerConfig['bus'],
  log: Logger,
): Promise<{ bus: Bus; topics: Topics }> {
  // The config schema is the registry's variant, so `config` is exactly what this descriptor takes.
  const engine = engineFor(BUS, 'bus', config.kind) as BusDescriptor;
  const topics = topicNames(engine.topicPrefix(config));
  const bus = await engine.open(config, { log });
  await bus.ensureTopics(allTopics(topics));
  return { bus, topics };
}
