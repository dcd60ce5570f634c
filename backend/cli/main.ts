#!/usr/bin/env node
import { parseArgs } from 'node:util';
import type { LogEvent } from '../../core/event/types.ts';
import { formatEvent } from './format.ts';

const USAGE = `usage:
  sluice search '<query>' [--from now-1h] [--to now] [--limit 100] [--order desc|asc] [--all]
  sluice trace <correlation-id> [--from now-7d]
  sluice tail ['<query>']
options:
  --url <base>   query API (default $SLUICE_URL or http://127.0.0.1:8080)
  --key <key>    API key (default $SLUICE_KEY)
  --json         one JSON object per line, for scripts
  --tenant <t>   (operator keys) read one tenant`;

/**
 * The command-line client of the query API. Human-readable (coloured on a terminal) by default,
 * `--json` for scripts; errors print the API's message and exit non-zero.
 */
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    limit: { type: 'string' },
    order: { type: 'string' },
    tenant: { type: 'string' },
    all: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  },
});

// `sluice search … | head` closes our stdout early: that is the reader's choice, not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const [command, arg] = positionals;
if (values.help || command === undefined) {
  console.log(USAGE);
  process.exit(command === undefined && !values.help ? 2 : 0);
}
const base = (values.url ?? process.env.SLUICE_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const key = values.key ?? process.env.SLUICE_KEY;
const headers: Record<string, string> = key === undefined ? {} : { authorization: `Bearer ${key}` };
const color = process.stdout.isTTY === true && !values.json && process.env.NO_COLOR === undefined;
const print = (e: LogEvent) => console.log(values.json ? JSON.stringify(e) : formatEvent(e, color));

async function get(path: string, params: Record<string, string | undefined>): Promise<Response> {
  const url = new URL(base + path);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  let res: Response;
  try {
    res = await fetch(url, { headers });
  } catch (error) {
    fail(
      `cannot reach ${base}: ${(error as Error).cause ?? (error as Error).message}; is Sluice running? (--url)`,
    );
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    fail(`${res.status} ${body?.error?.code ?? ''}: ${body?.error?.message ?? res.statusText}`);
  }
  return res;
}

function fail(message: string): never {
  console.error(`sluice: ${message}`);
  process.exit(1);
}

switch (command) {
  case 'search': {
    let cursor: string | undefined;
    do {
      const res = await get('/api/v1/search', {
        q: arg ?? '',
        from: values.from ?? 'now-1h',
        to: values.to,
        limit: values.limit,
        order: values.order,
        tenant: values.tenant,
        cursor,
      });
      const page = (await res.json()) as {
        hits: LogEvent[];
        total: { value: number; relation: string };
        next_cursor: string | null;
      };
      for (const e of page.hits) print(e);
      if (!values.json && cursor === undefined) {
        console.error(`${page.total.relation === 'gte' ? '≥' : ''}${page.total.value} hits`);
      }
      cursor = values.all ? (page.next_cursor ?? undefined) : undefined;
    } while (cursor !== undefined);
    break;
  }
  case 'trace': {
    if (arg === undefined) fail('trace needs a correlation ID');
    const res = await get(`/api/v1/trace/${encodeURIComponent(arg)}`, {
      from: values.from,
      to: values.to,
      tenant: values.tenant,
    });
    const trace = (await res.json()) as {
      events: LogEvent[];
      services: Array<{ service: string; count: number; errors: number; first_ts: string; last_ts: string }>;
      duration_ms: number;
    };
    if (values.json) {
      console.log(JSON.stringify(trace));
      break;
    }
    for (const e of trace.events) print(e);
    console.error(
      `\n${trace.events.length} events, ${trace.services.length} services, ${trace.duration_ms} ms`,
    );
    for (const s of trace.services)
      console.error(`  ${s.service.padEnd(20)} ${String(s.count).padStart(5)} events  ${s.errors} errors`);
    break;
  }
  case 'tail': {
    const res = await get('/api/v1/tail', { q: arg ?? '', tenant: values.tenant });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end !== -1) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = message
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n');
        if (message.startsWith('event: dropped'))
          console.error(`sluice: too slow, dropped ${JSON.parse(data).dropped} events`);
        else if (data !== '') print(JSON.parse(data));
        end = buffer.indexOf('\n\n');
      }
    }
    break;
  }
  default:
    console.error(`unknown command "${command}"\n${USAGE}`);
    process.exit(2);
}
