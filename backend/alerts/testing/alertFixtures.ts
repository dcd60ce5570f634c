import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../../core/config/parseConfig.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import type { AlertStore } from '../../../core/ports/alertStore.ts';
import type { SearchStore } from '../../../core/ports/searchStore.ts';
import { type ServerConfig, serverConfigSchema } from '../../config/schema.ts';
import { openSqliteAlertStore } from '../../engines/alerts/sqlite/sqliteAlertStore.ts';
import { openSqliteSearchStore } from '../../engines/search/sqlite/sqliteSearchStore.ts';
import type { AlertNotification } from '../notify/alertNotification.ts';
import type { Notifier } from '../notify/notifier.ts';

/** Test fixtures for alerting: real SQLite stores in a temporary directory, a settable clock. */
export const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
export const SECOND = 1_000;
export const MINUTE = 60_000;

export function config(yaml: string): ServerConfig {
  return parseConfig(yaml, 'sluice.yaml', serverConfigSchema);
}

let nextId = 0;

export function logEvent(tenant: string, ms: number, extra: Partial<LogEvent> = {}): LogEvent {
  const ts = new Date(ms).toISOString();
  nextId++;
  return {
    id: `e${String(nextId).padStart(6, '0')}`,
    ts,
    observed_ts: ts,
    level: 'info',
    service: 'checkout',
    tenant,
    message: `event ${nextId}`,
    attrs: {},
    ...extra,
  };
}

export interface Stores {
  dir: string;
  search: SearchStore;
  store: AlertStore;
  cleanup(): Promise<void>;
}

export async function openStores(): Promise<Stores> {
  const dir = await mkdtemp(join(tmpdir(), 'sluice-alerts-'));
  const search = openSqliteSearchStore({ path: join(dir, 'search') });
  const store = openSqliteAlertStore(join(dir, 'alerts.db'));
  await search.init();
  await store.init();
  return {
    dir,
    search,
    store,
    async cleanup() {
      await store.close();
      await search.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export class Clock {
  ms: number;

  constructor(ms = T0) {
    this.ms = ms;
  }

  now = (): number => this.ms;

  advance(ms: number): number {
    this.ms += ms;
    return this.ms;
  }
}

/** A notifier that only records, for tests of what is notified rather than how it is delivered. */
export function recordingNotifier(): Notifier & {
  sent: Array<{ notification: AlertNotification; targets: readonly string[] | null }>;
} {
  const sent: Array<{ notification: AlertNotification; targets: readonly string[] | null }> = [];
  return {
    sent,
    notify: (notification, targets) => {
      sent.push({ notification, targets });
    },
    idle: async () => undefined,
    stop: async () => undefined,
  };
}

export interface ReceivedRequest {
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** A real HTTP receiver on 127.0.0.1 answering each request with the next of `statuses` (then 200). */
export async function receiver(statuses: number[] = []) {
  const received: ReceivedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      const status = statuses.shift() ?? 200;
      if (status === 0) return; // never answers: the sender's timeout must end it
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'failed');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
