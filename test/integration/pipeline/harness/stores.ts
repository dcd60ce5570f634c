/**
 * What the three stores hold, read with their own clients and not through Sluice's adapters: OpenSearch
 * over its REST API, PostgreSQL with SQL, the archive with an S3 listing and hyparquet (an independent
 * Parquet reader; ZSTD pages are inflated with node:zlib), and Kafka topics with kafkajs.
 */
import { zstdDecompressSync } from 'node:zlib';
import { parquetReadObjects } from 'hyparquet';
import type { Kafka } from 'kafkajs';
import { registerZstdCodec } from '../../../../backend/engines/bus/kafka/zstdCodec.ts';
import { quietKnownWarnings } from '../../../../backend/server/quietWarnings.ts';
import type { S3Client } from '../../../../core/s3/client.ts';
import type { Sql } from '../../../helpers/engines.ts';

quietKnownWarnings(); // kafkajs' negative-timer warning (its issue #1751), harmless and noisy

// --- OpenSearch -----------------------------------------------------------------------------

export interface SearchDoc {
  _id: string;
  _index: string;
  _source: Record<string, unknown>;
}

async function osRequest(url: string, method: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`OpenSearch ${method} ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** Documents in the isolation's indices, after a refresh (so all indexed documents are counted). */
export async function countDocs(opensearchUrl: string, indexPrefix: string): Promise<number> {
  const pattern = `${opensearchUrl}/${indexPrefix}-*`;
  await osRequest(`${pattern}/_refresh`, 'POST');
  const answer = await osRequest(`${pattern}/_count`, 'GET');
  return answer.count as number;
}

/** Every document of the isolation's indices, through the scroll API (no 10,000-hit window). */
export async function allDocs(opensearchUrl: string, indexPrefix: string): Promise<SearchDoc[]> {
  await osRequest(`${opensearchUrl}/${indexPrefix}-*/_refresh`, 'POST');
  const docs: SearchDoc[] = [];
  let page = await osRequest(`${opensearchUrl}/${indexPrefix}-*/_search?scroll=1m`, 'POST', {
    size: 5000,
    sort: ['_doc'],
    query: { match_all: {} },
  });
  for (;;) {
    const hits = (page.hits as { hits: SearchDoc[] }).hits;
    if (hits.length === 0) break;
    docs.push(...hits);
    page = await osRequest(`${opensearchUrl}/_search/scroll`, 'POST', {
      scroll: '1m',
      scroll_id: page._scroll_id,
    });
  }
  await osRequest(`${opensearchUrl}/_search/scroll`, 'DELETE', { scroll_id: page._scroll_id });
  return docs;
}

/** Hits of each named query on the isolation's indices, in one request (a `filters` aggregation). */
export async function countMatching(
  opensearchUrl: string,
  indexPrefix: string,
  queries: Record<string, unknown>,
): Promise<Record<string, number>> {
  const answer = await osRequest(`${opensearchUrl}/${indexPrefix}-*/_search`, 'POST', {
    size: 0,
    aggs: { each: { filters: { filters: queries } } },
  });
  const buckets = (answer.aggregations as { each: { buckets: Record<string, { doc_count: number }> } }).each
    .buckets;
  return Object.fromEntries(Object.entries(buckets).map(([name, b]) => [name, b.doc_count]));
}

// --- PostgreSQL -----------------------------------------------------------------------------

export interface MetricRow {
  name: string;
  labels: Record<string, string>;
  bucket: number;
  value: number;
}

/** Every metric point in the isolation's schema (none when the table is not there yet). */
export async function metricRows(sql: Sql): Promise<MetricRow[]> {
  const [table] = await sql`SELECT to_regclass('metric_points') AS t`;
  if (table.t === null) return [];
  const rows = await sql<
    Array<{ name: string; labels: Record<string, string>; bucket: string; value: number }>
  >`
    SELECT name, labels, (extract(epoch FROM bucket) * 1000)::bigint AS bucket, value FROM metric_points`;
  return rows.map((r) => ({ name: r.name, labels: r.labels, bucket: Number(r.bucket), value: r.value }));
}

// --- archive (S3 + Parquet) -----------------------------------------------------------------

export interface ArchiveFile {
  key: string;
  tenant: string;
  /** Hour start, ms. */
  hour: number;
  /** Every range the name lists: the file holds the tenant-hour's records of each. */
  ranges: Array<{
    partition: number;
    /** The logs.raw partition the offsets are positions in (`-r<n>`), or undefined: logs.enriched offsets. */
    sourcePartition?: number;
    firstOffset: bigint;
    lastOffset: bigint;
  }>;
  rows: Array<Record<string, unknown>>;
}

/**
 * docs/archive.md's layout: `tenant=<t>/date=YYYY-MM-DD/hour=HH/<range>[_<range>…].parquet`, each range
 * `p<partition>[-r<source>]-<first>-<last>`.
 */
const ARCHIVE_KEY = /^tenant=([^/]+)\/date=(\d{4}-\d{2}-\d{2})\/hour=(\d{2})\/([^/]+)\.parquet$/;
const ARCHIVE_RANGE = /^p(\d+)(?:-r(\d+))?-(\d+)-(\d+)$/;

const COMPRESSORS = {
  ZSTD: (input: Uint8Array, outputLength: number): Uint8Array =>
    new Uint8Array(zstdDecompressSync(input, { maxOutputLength: Math.max(outputLength, 1) })),
};

/**
 * Reads every archive file of the bucket with hyparquet. `cache` keeps files already read (by key and
 * ETag), so polling re-reads only new or replaced files. Keys that are not archive files fail the test.
 */
export async function archiveFiles(
  s3: S3Client,
  bucket: string,
  cache = new Map<string, { etag: string; file: ArchiveFile }>(),
): Promise<ArchiveFile[]> {
  const files: ArchiveFile[] = [];
  for await (const object of s3.listAllObjects(bucket)) {
    const known = cache.get(object.key);
    if (known !== undefined && known.etag === object.etag) {
      files.push(known.file);
      continue;
    }
    const match = ARCHIVE_KEY.exec(object.key);
    const ranges = match?.[4].split('_').map((range) => ARCHIVE_RANGE.exec(range));
    if (match === null || ranges === undefined || ranges.some((range) => range === null))
      throw new Error(`object ${object.key} in the archive bucket is not an archive file`);
    const { body, etag } = await s3.getObject(bucket, object.key);
    const buffer = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
    const rows = (await parquetReadObjects({ file: buffer, compressors: COMPRESSORS })) as Array<
      Record<string, unknown>
    >;
    const [, tenant, date, hh] = match;
    const file: ArchiveFile = {
      key: object.key,
      tenant,
      hour: Date.parse(`${date}T${hh}:00:00Z`),
      ranges: ranges.map((range) => {
        const [, partition, source, first, last] = range as RegExpExecArray;
        return {
          partition: Number(partition),
          sourcePartition: source === undefined ? undefined : Number(source),
          firstOffset: BigInt(first),
          lastOffset: BigInt(last),
        };
      }),
      rows,
    };
    cache.set(object.key, { etag, file });
    files.push(file);
  }
  return files;
}

/** A Parquet value as text: timestamps as RFC 3339, byte arrays as text, everything else as JSON. */
export function cellText(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? String(v) : v)) ?? '';
}

// --- Kafka ----------------------------------------------------------------------------------

export interface TopicRecord {
  partition: number;
  offset: bigint;
  value: Record<string, unknown>;
  /** The `sluice-source` header (logs.raw partition and offset) the processor puts on logs.enriched. */
  source?: { partition: number; offset: bigint };
}

/** End offset of every partition of a topic. */
export async function endOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** Reads a topic from the beginning to its current end with a fresh consumer group. */
export async function readTopic(kafka: Kafka, topic: string, groupId: string): Promise<TopicRecord[]> {
  registerZstdCodec(); // Sluice produces zstd batches; kafkajs decodes only gzip by itself
  const ends = await endOffsets(kafka, topic);
  const remaining = new Set([...ends].filter(([, high]) => high > 0n).map(([p]) => p));
  const records: TopicRecord[] = [];
  if (remaining.size === 0) return records;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 10_000, heartbeatInterval: 1000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${topic} took over 90 s`)), 90_000);
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            for (const m of batch.messages) {
              const offset = BigInt(m.offset);
              if (offset >= (ends.get(batch.partition) ?? 0n)) continue;
              records.push({
                partition: batch.partition,
                offset,
                value: JSON.parse(m.value?.toString('utf8') ?? 'null') as Record<string, unknown>,
                source: sourceOf(m.headers?.['sluice-source']?.toString()),
              });
              if (offset === (ends.get(batch.partition) ?? 0n) - 1n) remaining.delete(batch.partition);
            }
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return records;
}

function sourceOf(header: string | undefined): TopicRecord['source'] {
  const match = header === undefined ? null : /^(\d+):(\d+)$/.exec(header);
  return match === null ? undefined : { partition: Number(match[1]), offset: BigInt(match[2]) };
}

/** The next offset a consumer group has committed on each partition of a topic (absent: none). */
export async function committedOffsets(
  kafka: Kafka,
  groupId: string,
  topic: string,
): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map(
      (entry?.partitions ?? []).filter((p) => p.offset !== '-1').map((p) => [p.partition, BigInt(p.offset)]),
    );
  } finally {
    await admin.disconnect();
  }
}

/** Moves a consumer group with no members back to the start of a topic: everything is read again. */
export async function resetToEarliest(kafka: Kafka, groupId: string, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.resetOffsets({ groupId, topic, earliest: true });
  } finally {
    await admin.disconnect();
  }
}
