/**
 * What each store holds of the drill's events, counted in the engines themselves (not through Sluice):
 * OpenSearch documents, archive rows (and distinct ids among them), and the log_count metric.
 */
import postgres from 'postgres';
import { openS3Archive } from '../../../backend/sinks/archive/openArchive.ts';

export interface StoreCounts {
  search: number;
  archiveRows: number;
  archiveDistinct: number;
  metrics: number;
}

export interface StoreReader {
  counts(service: string, since: number): Promise<StoreCounts>;
  /** True when the query API finds the probe event (search is fresh). */
  probeVisible(service: string, marker: string): Promise<boolean>;
  /**
   * Documents of the service searchable in OpenSearch itself, without forcing a refresh: when the probe
   * got there, apart from the query API's part (a query process, the balancer) in probeVisible.
   */
  searchable(service: string): Promise<number>;
  close(): Promise<void>;
}

export function storeReader(
  env: Record<string, string>,
  options: { indexPrefix: string; schema: string },
): StoreReader {
  const sql = postgres(env.SLUICE_PG_URL, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  const archive = openS3Archive({
    endpoint: env.SLUICE_S3_ENDPOINT,
    bucket: env.SLUICE_S3_BUCKET,
    region: env.SLUICE_S3_REGION,
    accessKeyId: env.SLUICE_S3_ACCESS_KEY,
    secretAccessKey: env.SLUICE_S3_SECRET_KEY,
    forcePathStyle: true,
  });
  const opensearch = [env.SLUICE_OPENSEARCH_URL_1, env.SLUICE_OPENSEARCH_URL_2];

  const searchCount = async (service: string, refresh = true): Promise<number> => {
    let lastError: unknown;
    for (const url of opensearch) {
      try {
        if (refresh) await fetch(`${url}/${options.indexPrefix}-*/_refresh`, { method: 'POST' });
        const answer = await fetch(`${url}/${options.indexPrefix}-*/_count`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: { term: { service } } }),
          signal: AbortSignal.timeout(5000),
        });
        if (!answer.ok) throw new Error(`_count answered ${answer.status}: ${await answer.text()}`);
        return ((await answer.json()) as { count: number }).count;
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  };

  const archiveCount = async (service: string, since: number) => {
    const files = await archive.list(
      { from: since - 3 * 3_600_000, to: Date.now() + 60_000 },
      { tenant: 'default' },
    );
    const ids = new Set<string>();
    let rows = 0;
    for (const file of files) {
      for (const event of await archive.read(file)) {
        if (event.service !== service) continue;
        rows++;
        ids.add(event.id);
      }
    }
    return { rows, distinct: ids.size };
  };

  const metricCount = async (service: string): Promise<number> => {
    // An event is counted once either way: in its window's log_count, or, later than the partition's
    // window clock allows (a newer event of another service in the partition moved it on), in late_events.
    const [row] = await sql`
      SELECT coalesce(sum(value), 0)::float8 AS total FROM ${sql(options.schema)}.metric_points
      WHERE labels->>'service' = ${service}
        AND (name = 'log_count' OR (name = 'late_events' AND labels->>'aggregate' = 'builtin'))`;
    return Number(row.total);
  };

  return {
    async counts(service, since) {
      const [search, archived, metrics] = await Promise.all([
        searchCount(service),
        archiveCount(service, since),
        metricCount(service),
      ]);
      return { search, archiveRows: archived.rows, archiveDistinct: archived.distinct, metrics };
    },
    async probeVisible(service, marker) {
      const url = new URL('/api/v1/search', env.SLUICE_HA_QUERY_URL);
      url.searchParams.set('q', `service:${service} probe:${marker}`);
      url.searchParams.set('from', 'now-3h');
      const answer = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (!answer.ok) return false;
      return ((await answer.json()) as { total: { value: number } }).total.value > 0;
    },
    searchable: (service) => searchCount(service, false),
    async close() {
      await sql.end({ timeout: 1 });
    },
  };
}
