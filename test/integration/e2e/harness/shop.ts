/**
 * What the end-to-end tests write into log files: three services of a small shop in two formats, one
 * request (req-e2e-1) crossing all of them, errors, and secrets the agent must mask. Every message
 * carries a unique word `ln<n>`, so a hit is matched back to the line it came from whatever id the
 * agent gave it, and expectations are computed here, independently of the query language code.
 */
import { appendFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Level, LogEvent } from '../../../../core/event/types.ts';
import type { Archive } from '../../../../core/ports/archive.ts';

export type Format = 'json' | 'logfmt';

export interface Line {
  n: number;
  service: string;
  ts: number;
  level: Level;
  message: string;
  correlation_id?: string;
  /** Numeric http.status (JSON lines, nested as {"http": {"status": …}}). */
  status?: number;
  /** logfmt order_id. */
  order?: string;
}

export const SERVICES: Record<string, Format> = { web: 'json', orders: 'logfmt', payments: 'json' };
export const SECRETS = ['hunter2', 'sk_live_51HxYzAbCdEfGhIjKlMnOpQr', '4111 1111 1111 1111'];

const ERROR_RANK: Record<Level, number> = { trace: 0, debug: 1, info: 2, warn: 3, error: 4, fatal: 5 };
export const atLeast = (level: Level, min: Level) => ERROR_RANK[level] >= ERROR_RANK[min];

/** The lines of the shop, stamped from `t0` on, 10 ms apart (so their order is known). */
export function shopLines(t0: number): Line[] {
  const spec: Array<Omit<Line, 'n' | 'ts'>> = [
    {
      service: 'web',
      level: 'info',
      message: 'GET /checkout started',
      correlation_id: 'req-e2e-1',
      status: 200,
    },
    {
      service: 'orders',
      level: 'info',
      message: 'order created',
      correlation_id: 'req-e2e-1',
      order: 'A-1001',
    },
    {
      service: 'payments',
      level: 'warn',
      message: 'payment retry scheduled',
      correlation_id: 'req-e2e-1',
      status: 502,
    },
    {
      service: 'payments',
      level: 'error',
      message: 'payment gateway timeout after 3000 ms',
      correlation_id: 'req-e2e-1',
      status: 504,
    },
    {
      service: 'orders',
      level: 'error',
      message: 'order failed: payment gateway timeout',
      correlation_id: 'req-e2e-1',
      order: 'A-1001',
    },
    {
      service: 'web',
      level: 'error',
      message: 'GET /checkout answered 504',
      correlation_id: 'req-e2e-1',
      status: 504,
    },
    { service: 'web', level: 'debug', message: 'cache warm' },
    { service: 'web', level: 'info', message: 'login ok password=hunter2' },
    { service: 'orders', level: 'info', message: 'card 4111 1111 1111 1111 charged', order: 'A-1002' },
    {
      service: 'payments',
      level: 'fatal',
      message: 'ledger unreachable',
      correlation_id: 'req-e2e-2',
      status: 503,
    },
    { service: 'web', level: 'warn', message: 'upstream timeout at the gateway', status: 499 },
    { service: 'orders', level: 'warn', message: 'stock low', order: 'A-1003' },
  ];
  for (let i = 0; i < 18; i++) {
    const service = Object.keys(SERVICES)[i % 3];
    const level: Level = i % 7 === 0 ? 'error' : i % 2 === 0 ? 'info' : 'debug';
    spec.push({
      service,
      level,
      message: `routine work item ${i}`,
      ...(service === 'orders' ? { order: `B-${i}` } : { status: level === 'error' ? 500 : 200 }),
    });
  }
  return spec.map((s, i) => ({ ...s, n: i + 1, ts: t0 + i * 10 }));
}

/** The text of a line as the service would log it; the secret attribute rides on line 8. */
export function render(line: Line): string {
  const message = `${line.message} ln${line.n}`;
  const ts = new Date(line.ts).toISOString();
  if (SERVICES[line.service] === 'logfmt') {
    const parts = [`ts=${ts}`, `level=${line.level}`, `msg=${JSON.stringify(message)}`];
    if (line.correlation_id !== undefined) parts.push(`correlation_id=${line.correlation_id}`);
    if (line.order !== undefined) parts.push(`order_id=${line.order}`);
    return parts.join(' ');
  }
  const record: Record<string, unknown> = { ts, level: line.level, msg: message };
  if (line.correlation_id !== undefined) record.correlation_id = line.correlation_id;
  if (line.status !== undefined) record.http = { status: line.status };
  if (line.n === 8) record.api_key = SECRETS[1];
  return JSON.stringify(record);
}

export function logFile(dir: string, service: string): string {
  return join(dir, `${service}.log`);
}

/** Creates the (empty) log files, so the agent finds them from its first scan. */
export async function createLogFiles(dir: string): Promise<void> {
  for (const service of Object.keys(SERVICES)) await writeFile(logFile(dir, service), '');
}

export async function appendLines(dir: string, lines: Line[]): Promise<void> {
  for (const service of Object.keys(SERVICES)) {
    const mine = lines.filter((l) => l.service === service);
    if (mine.length > 0) await appendFile(logFile(dir, service), `${mine.map(render).join('\n')}\n`);
  }
}

/** The `ln<n>` numbers of hits, sorted. */
export function lineNumbers(hits: Array<Pick<LogEvent, 'message'>>): number[] {
  return hits.map((h) => Number(/\bln(\d+)\b/.exec(h.message)?.[1] ?? Number.NaN)).sort((a, b) => a - b);
}

export const numbers = (lines: Line[]) => lines.map((l) => l.n).sort((a, b) => a - b);

/** agent.yaml tailing the shop's files, shipping fast (small batches, short waits). */
export function agentYaml(options: {
  gatewayUrl: string;
  key: string;
  stateDir: string;
  logDir: string;
}): string {
  const inputs = Object.entries(SERVICES).map(
    ([service, format]) =>
      `  - { type: file, paths: [${JSON.stringify(logFile(options.logDir, service))}], service: ${service}, format: ${format}, start_at: beginning, poll_interval: 50ms, scan_interval: 200ms }`,
  );
  return [
    `gateway: { url: "${options.gatewayUrl}", api_key: "${options.key}", compression: gzip }`,
    `state_dir: ${JSON.stringify(options.stateDir)}`,
    'batch: { max_events: 500, max_wait: 100ms }',
    'metrics: { listen: "127.0.0.1:0" }',
    'enrich: { kubernetes: off, fields: { env: e2e } }',
    'inputs:',
    ...inputs,
    '',
  ].join('\n');
}

/**
 * Events archived long ago, when they were still young: written straight into the archive (as the
 * archiver wrote them back then), since no process can be made to archive an hour already past
 * retention now (the archiver skips such hours).
 */
export async function seedOldArchive(archive: Archive, atMs: number): Promise<LogEvent[]> {
  const hour = Math.floor(atMs / 3_600_000) * 3_600_000;
  const events: LogEvent[] = [311, 312].map((n, i) => {
    const ts = new Date(hour + 60_000 * (i + 1)).toISOString();
    return {
      id: `seeded-${n}`,
      ts,
      observed_ts: ts,
      level: 'info',
      service: 'billing',
      tenant: 'shop',
      correlation_id: 'req-old-1',
      message: `ancient invoice archived ln${n}`,
      attrs: {},
    };
  });
  await archive.write({ tenant: 'shop', hour, busPartition: 99, firstOffset: 0n, lastOffset: 1n }, events);
  return events;
}
