/**
 * A real standalone Sluice for the browser tests (embedded bus, SQLite search and metrics), with keys for
 * a reader and an admin, one sluice.yaml alert rule, and a fixed set of seeded events the tests compare
 * the pages against.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '../../../core/auth/apiKeys.ts';
import { ingest, queryClient } from '../e2e/harness/api.ts';
import { freePort, type NodeProcess, spawnNode, waitHealthy, waitUntil } from '../e2e/harness/processes.ts';

export const ADMIN_KEY = 'ui-admin-key';
export const READER_KEY = 'ui-reader-key';

export interface SeedEvent {
  ts: string;
  level: string;
  service: string;
  host: string;
  message: string;
  correlation_id?: string;
  attrs: Record<string, string | number>;
}

const SERVICES = ['checkout', 'payments', 'search'];
const HOSTS = ['node-1', 'node-2'];
const LEVELS = ['info', 'info', 'info', 'debug', 'warn', 'error'];
const MESSAGES = [
  'payment gateway timeout after 3000 ms',
  'order placed',
  'cache miss for product page',
  'retrying request to inventory',
  'user signed in',
  'slow query on orders table',
];

/** 240 events over the 8 minutes before `now`, one every 2 s, spread over services, hosts, levels and files. */
export function seedEvents(now: number): SeedEvent[] {
  const events: SeedEvent[] = [];
  for (let i = 0; i < 240; i++) {
    const service = SERVICES[i % 3];
    const host = HOSTS[Math.floor(i / 3) % 2];
    events.push({
      ts: new Date(now - 480_000 + i * 2000).toISOString(),
      level: LEVELS[Math.floor(i / 5) % LEVELS.length],
      service,
      host,
      message: `${MESSAGES[Math.floor(i / 4) % MESSAGES.length]} seq${i}`,
      correlation_id: `req-${Math.floor(i / 6)}`,
      attrs: { 'log.file.path': `/var/log/${service}.log`, 'http.status': i % 10 === 0 ? 504 : 200, seq: i },
    });
  }
  return events;
}

export interface SluiceUnderTest {
  url: string;
  events: SeedEvent[];
  dir: string;
  ingest(records: object[]): Promise<void>;
  api: ReturnType<typeof queryClient>;
  logTail(): string;
  stop(): Promise<void>;
}

export async function startSluice(): Promise<SluiceUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-ui-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = join(dir, 'sluice.yaml');
  await writeFile(
    config,
    `listen: { gateway: "127.0.0.1:${port}" }
bus: { kind: embedded, dir: ${JSON.stringify(join(dir, 'data/bus'))}, fsync: interval, fsync_interval: 100ms }
search: { kind: sqlite, path: ${JSON.stringify(join(dir, 'data/search'))} }
metrics: { kind: sqlite, path: ${JSON.stringify(join(dir, 'data/metrics.db'))} }
archive: { kind: local, dir: ${JSON.stringify(join(dir, 'data/archive'))} }
alerts:
  evaluate_every: 2s
  rules:
    - { name: checkout-errors, query: "service:checkout level>=error", window: 15m, op: ">", threshold: 5, severity: critical }
auth:
  keys:
    - { name: admin, key_sha256: ${sha256Hex(ADMIN_KEY)}, tenant: shop, roles: [admin] }
    - { name: reader, key_sha256: ${sha256Hex(READER_KEY)}, tenant: shop, roles: [read] }
`,
  );
  const server: NodeProcess = spawnNode('sluice', ['backend/standalone/main.ts', '--config', config]);
  await waitHealthy(server, url);
  const now = Date.now();
  const events = seedEvents(now);
  await ingest(url, ADMIN_KEY, events);
  const api = queryClient(url, READER_KEY);
  await waitUntil(
    'the seeded events in search',
    async () =>
      (await api.searchAll({ from: new Date(now - 600_000).toISOString(), source: 'hot' })).length ===
      events.length
        ? true
        : undefined,
    60_000,
    () => server.logTail(20),
  );
  return {
    url,
    events,
    dir,
    api,
    ingest: async (records) => {
      await ingest(url, ADMIN_KEY, records);
    },
    logTail: () => server.logTail(30),
    async stop() {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
