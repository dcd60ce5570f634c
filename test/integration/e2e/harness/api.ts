import type { LogEvent } from '../../../../core/event/types.ts';

export interface SearchPage {
  hits: LogEvent[];
  total: { value: number; relation: string };
  next_cursor: string | null;
}

export interface TraceAnswer {
  correlation_id: string;
  events: LogEvent[];
  services: Array<{ service: string; first_ts: string; last_ts: string; count: number; errors: number }>;
  start: string;
  end: string;
  duration_ms: number;
}

export interface MetricsAnswer {
  name: string;
  step: number;
  series: Array<{ labels: Record<string, string>; points: Array<[number, number | null]> }>;
}

/** The query API of a running server, as a client with one key. */
export function queryClient(base: string, key: string | null) {
  const headers: Record<string, string> = key === null ? {} : { authorization: `Bearer ${key}` };
  async function get(path: string, params: Record<string, string | undefined> = {}) {
    const url = new URL(base + path);
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text === '' ? null : safeJson(text) };
  }
  async function json<T>(path: string, params: Record<string, string | undefined> = {}): Promise<T> {
    const res = await get(path, params);
    if (res.status !== 200)
      throw new Error(
        `GET ${path} ${JSON.stringify(params)} answered ${res.status}: ${res.text.slice(0, 500)}`,
      );
    return res.body as T;
  }
  return {
    get,
    json,
    /** Every hit of a search, following next_cursor. */
    async searchAll(params: Record<string, string | undefined>): Promise<LogEvent[]> {
      const hits: LogEvent[] = [];
      let cursor: string | undefined;
      do {
        const page = await json<SearchPage>('/api/v1/search', { limit: '1000', ...params, cursor });
        hits.push(...page.hits);
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
      return hits;
    },
    trace: (id: string, params: Record<string, string | undefined> = {}) =>
      json<TraceAnswer>(`/api/v1/trace/${encodeURIComponent(id)}`, params),
    metrics: (params: Record<string, string | undefined>) => json<MetricsAnswer>('/api/v1/metrics', params),
  };
}

export type QueryClient = ReturnType<typeof queryClient>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text; // not JSON (e.g. a bare 500 page): the caller's assertion shows it
  }
}

/** POST NDJSON records to the gateway's native ingest route. */
export async function ingest(base: string, key: string, records: object[]) {
  const res = await fetch(`${base}/api/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
    body: records.map((r) => JSON.stringify(r)).join('\n'),
  });
  const body = (await res.json()) as { accepted: number; rejected: number; errors: unknown[] };
  if (res.status !== 202 || body.rejected !== 0)
    throw new Error(`ingest answered ${res.status}: ${JSON.stringify(body)}`);
  return body;
}

/** Sum of every non-null point of every series. */
export function total(answer: MetricsAnswer): number {
  let sum = 0;
  for (const s of answer.series) for (const [, v] of s.points) sum += v ?? 0;
  return sum;
}
