/**
 * A real standalone Sluice (`backend/standalone/main.ts`: embedded bus, SQLite search and metrics, local
 * archive) as a child process, its sluice.yaml and data in a temporary directory of its own, for the
 * tests that drive it from outside as an operator would.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { authSection, type TestKey } from './apiKeys.ts';
import { freePort, type NodeProcess, spawnNode, waitHealthy } from './nodeProcess.ts';

/** The embedded engines' lines of a sluice.yaml, every file below `data`. */
export function embeddedEnginesYaml(data: string): string {
  const at = (name: string) => JSON.stringify(join(data, name));
  return [
    // fsync every 100 ms, not on every append: what the tests check does not need more, the machine is shared.
    `bus: { kind: embedded, dir: ${at('bus')}, fsync: interval, fsync_interval: 100ms }`,
    `search: { kind: sqlite, path: ${at('search')} }`,
    `metrics: { kind: sqlite, path: ${at('metrics.db')} }`,
    `archive: { kind: local, dir: ${at('archive')} }`,
  ].join('\n');
}

export interface StandaloneSluice {
  /** The temporary directory: sluice.yaml, the data under `data/`, and whatever the test puts beside. */
  dir: string;
  config: string;
  url: string;
  /** The running server process (a new one after `restart`). */
  readonly server: NodeProcess;
  /** Stops the server and starts it again on the same config, port and data. */
  restart(): Promise<void>;
  /** Stops the server and removes the directory. */
  stop(): Promise<void>;
}

/**
 * Starts a standalone Sluice with `keys` and `yaml` (more top-level sluice.yaml keys) and waits until it
 * answers /healthz.
 */
export async function startStandalone(
  name: string,
  { keys, yaml = '' }: { keys: TestKey[]; yaml?: string },
): Promise<StandaloneSluice> {
  const dir = await mkdtemp(join(tmpdir(), `sluice-${name}-`));
  const port = await freePort();
  const config = join(dir, 'sluice.yaml');
  await writeFile(
    config,
    [
      `listen: { gateway: "127.0.0.1:${port}" }`,
      embeddedEnginesYaml(join(dir, 'data')),
      yaml,
      `auth: ${JSON.stringify(authSection(keys))}`,
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${port}`;
  const launch = async () => {
    const server = spawnNode(name, ['backend/standalone/main.ts', '--config', config]);
    try {
      await waitHealthy(server, url);
    } catch (error) {
      await server.stop();
      throw error;
    }
    return server;
  };
  let server = await launch().catch(async (error: unknown) => {
    await rm(dir, { recursive: true, force: true });
    throw error;
  });
  return {
    dir,
    config,
    url,
    get server() {
      return server;
    },
    async restart() {
      await server.stop();
      server = await launch();
    },
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
