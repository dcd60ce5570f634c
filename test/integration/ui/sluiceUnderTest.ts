/**
 * A real standalone Sluice for the browser tests (embedded bus, SQLite search and metrics), with keys for
 * a reader and an admin, one sluice.yaml alert rule, and a fixed set of seeded events the tests compare
 * the pages against.
 */

import { waitUntil } from '../../helpers/nodeProcess.ts';
import { startStandalone } from '../../helpers/standalone.ts';
import { ingest, queryClient } from '../e2e/harness/api.ts';

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
  ingest(records: object[]): Promise<void>;
  api: ReturnType<typeof queryClient>;
  logTail(): string;
  stop(): Promise<void>;
}

export async function startSluice(): Promise<SluiceUnderTest> {
  const sluice = await startStandalone('ui', {
    keys: [
      { name: 'admin', key: ADMIN_KEY, tenant: 'shop', roles: ['admin'] },
      { name: 'reader', key: READER_KEY, tenant: 'shop', roles: ['read'] },
    ],
    yaml: `alerts:
  evaluate_every: 2s
  rules:
    - { name: checkout-errors, query: "service:checkout level>=error", window: 15m, op: ">", threshold: 5, severity: critical }`,
  });
  const { url, server } = sluice;
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
    api,
    ingest: async (records) => {
      await ingest(url, ADMIN_KEY, records);
    },
    logTail: () => server.logTail(30),
    stop: () => sluice.stop(),
  };
}
