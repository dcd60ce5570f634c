/**
 * A Sluice server started in this process from a sluice.yaml, through the same loadConfig + startServer
 * that `node backend/main.ts --config` runs, with a consumer on its raw topic so a test can see what the
 * gateway put on the bus. For protocol tests on the embedded bus, where a child process would hold the
 * bus directory's lock and hide the bus from the test.
 */

import { type ServerConfig, serverConfigSchema } from '../../../../backend/config/schema.ts';
import { startServer } from '../../../../backend/server/server.ts';
import { loadConfig } from '../../../../core/config/parseConfig.ts';
import { silentLogger } from '../../../../core/log/logger.ts';
import type { Consumer } from '../../../../core/ports/bus.ts';
import { waitFor } from '../../../helpers/waitFor.ts';

export type StoredEvent = Record<string, unknown> & { attrs: Record<string, unknown> };

export interface InProcessServer {
  url: string;
  /** Every event on the raw topic so far, in arrival order, with its bus key. */
  events: Array<{ key: string; event: StoredEvent }>;
  /** Waits until `count` events match `predicate` (or fails naming `what`), and returns them. */
  waitForEvents(
    what: string,
    predicate: (event: StoredEvent) => boolean,
    count: number,
  ): Promise<Array<{ key: string; event: StoredEvent }>>;
  stop(): Promise<void>;
}

export async function startInProcessServer(
  configFile: string,
  options: {
    /** Variables for the file's `${VAR}` references (process.env when absent). */
    env?: Record<string, string | undefined>;
    /** Like `--roles`: only these roles, whatever the file says. */
    roles?: ServerConfig['roles'];
  } = {},
): Promise<InProcessServer> {
  const loaded = await loadConfig(configFile, serverConfigSchema, { env: options.env ?? process.env });
  const config: ServerConfig = options.roles === undefined ? loaded : { ...loaded, roles: options.roles };
  const server = await startServer(config, silentLogger);
  if (server.url === null) {
    await server.stop();
    throw new Error(`${configFile} starts no HTTP listener (roles: ${config.roles.join(', ')})`);
  }
  const events: InProcessServer['events'] = [];
  let tap: Consumer;
  try {
    tap = await server.context.bus.consume({
      group: 'integration-test-tap',
      topics: [server.context.topics.raw],
      fromBeginning: true,
      handler: async (batch) => {
        for (const r of batch.records) {
          events.push({ key: r.key, event: JSON.parse(Buffer.from(r.value).toString('utf8')) });
        }
      },
    });
  } catch (error) {
    await server.stop();
    throw error;
  }
  return {
    url: server.url,
    events,
    async waitForEvents(what, predicate, count) {
      const matching = () => events.filter((e) => predicate(e.event));
      await waitFor(what, () => matching().length >= count, { timeoutMs: 15_000, intervalMs: 20 });
      return matching();
    },
    async stop() {
      await tap.stop();
      await server.stop();
    },
  };
}
