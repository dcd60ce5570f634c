/**
 * The end state a pipeline test expects, as checks that list what is wrong (empty = as expected), and
 * `eventually`, which polls them until they pass or a generous deadline passes: the machine running the
 * tests is small and shared, so nothing here depends on how fast it is.
 */

import { waitFor } from '../../../helpers/waitFor.ts';
import { type ArchiveFile, cellText, type MetricRow, type SearchDoc, type TopicRecord } from './stores.ts';
import { type MetricTable, metricKey, type SentEvent } from './workload.ts';

const SHOWN = 5;

function listed(what: string, items: readonly string[]): string[] {
  if (items.length === 0) return [];
  return [`${items.length} ${what}: ${items.slice(0, SHOWN).join(', ')}${items.length > SHOWN ? ', …' : ''}`];
}

/** The sent fields as the stores must give them back. */
function mismatch(e: SentEvent, got: Record<string, unknown>) {
  if (Date.parse(String(got.ts)) !== e.tsMs) return `ts ${got.ts} ≠ ${e.ts}`;
  if (got.tenant !== e.tenant) return `tenant ${got.tenant} ≠ ${e.tenant}`;
  if (got.service !== e.service) return `service ${got.service} ≠ ${e.service}`;
  if (got.level !== e.level) return `level ${got.level} ≠ ${e.level}`;
  if (got.message !== e.message) return `message ${got.message} ≠ ${e.message}`;
  return null;
}

/** Each event exactly once in OpenSearch (`_id` = event id), with its fields intact, and nothing else. */
export function checkSearch(docs: readonly SearchDoc[], events: readonly SentEvent[]): string[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  const seen = new Map<string, number>();
  const foreign: string[] = [];
  const wrong: string[] = [];
  for (const doc of docs) {
    seen.set(doc._id, (seen.get(doc._id) ?? 0) + 1);
    const e = byId.get(doc._id);
    if (e === undefined) {
      foreign.push(doc._id);
      continue;
    }
    const s = doc._source;
    const problem = s.id === e.id ? mismatch(e, s) : `id ${s.id}`;
    if (problem !== null) wrong.push(`${e.id} (${problem})`);
  }
  const twice = [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
  const missing = events.filter((e) => !seen.has(e.id)).map((e) => e.id);
  return [
    ...(docs.length === events.length
      ? []
      : [`OpenSearch holds ${docs.length} documents, expected ${events.length}`]),
    ...listed('events missing from OpenSearch', missing),
    ...listed('events more than once in OpenSearch', twice),
    ...listed('unexpected documents in OpenSearch', foreign),
    ...listed('documents differing from what was sent', wrong),
  ];
}

/**
 * The metric store against the brute-force table: every expected point, with its value, exactly once per
 * (name, tenant, service, bucket); no other point, except `late_events` at 0 (none may be late).
 */
export function checkMetrics(rows: readonly MetricRow[], expected: MetricTable): string[] {
  const got = new Map<string, number>();
  const twice: string[] = [];
  const late: string[] = [];
  for (const r of rows) {
    if (r.name === 'late_events') {
      if (r.value !== 0)
        late.push(`${JSON.stringify(r.labels)}@${new Date(r.bucket).toISOString()}=${r.value}`);
      continue;
    }
    const key = metricKey(r.name, r.labels.tenant, r.labels.service, r.bucket);
    if (got.has(key)) twice.push(key);
    got.set(key, r.value);
  }
  const missing: string[] = [];
  const wrong: string[] = [];
  for (const [key, value] of expected) {
    const actual = got.get(key);
    if (actual === undefined) missing.push(key);
    else if (Math.abs(actual - value) > 1e-9) wrong.push(`${key} = ${actual}, expected ${value}`);
  }
  const extra = [...got.keys()].filter((key) => !expected.has(key));
  return [
    ...listed('metric points missing', missing),
    ...listed('metric points with wrong values', wrong),
    ...listed('unexpected metric points', extra),
    ...listed('points written for two partitions', twice),
    ...listed('late events (the workload sends none)', late),
  ];
}

/** Every event in the archive exactly once, in a file of its tenant and hour, with its fields intact. */
export function checkArchive(files: readonly ArchiveFile[], events: readonly SentEvent[]): string[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  const seen = new Map<string, number>();
  const foreign: string[] = [];
  const wrong: string[] = [];
  let rows = 0;
  for (const file of files) {
    for (const row of file.rows) {
      rows++;
      const id = cellText(row.id);
      seen.set(id, (seen.get(id) ?? 0) + 1);
      const e = byId.get(id);
      if (e === undefined) {
        foreign.push(id);
        continue;
      }
      const problem =
        mismatch(e, { ...row, ts: cellText(row.ts) }) ??
        (file.tenant !== e.tenant || file.hour !== Math.floor(e.tsMs / 3_600_000) * 3_600_000
          ? `in ${file.key}`
          : null);
      if (problem !== null) wrong.push(`${id} (${problem})`);
    }
  }
  const twice = [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
  const missing = events.filter((e) => !seen.has(e.id)).map((e) => e.id);
  return [
    ...(rows === events.length
      ? []
      : [`the archive holds ${rows} rows in ${files.length} files, expected ${events.length}`]),
    ...listed('events missing from the archive', missing),
    ...listed('events more than once in the archive', twice),
    ...listed('unexpected rows in the archive', foreign),
    ...listed('rows differing from what was sent', wrong),
  ];
}

/**
 * The archiver's own guarantee, record by record: every record of logs.enriched is in exactly one file,
 * the file named after its partition and a range holding its position (its logs.raw source position when
 * the processor marked it, else its offset), of its tenant and hour; and a file holds exactly the records
 * of its tenant, hour, partition and source in its range. A record the processor produced again (a
 * replay) has a position already seen and must not be archived a second time.
 */
export function checkArchiveAgainstTopic(
  files: readonly ArchiveFile[],
  records: readonly TopicRecord[],
): string[] {
  const hourOf = (r: TopicRecord) => Math.floor(Date.parse(r.value.ts as string) / 3_600_000) * 3_600_000;
  const where = (r: TopicRecord) =>
    r.source === undefined
      ? `p${r.partition}@${r.offset}`
      : `p${r.partition}-r${r.source.partition}@${r.source.offset}`;
  // One record per position: copies a processor replay produced are the same event at the same position.
  const unique = new Map<string, TopicRecord>();
  for (const r of records) if (!unique.has(where(r))) unique.set(where(r), r);
  const covering = new Map<TopicRecord, number>();
  const wrongFiles: string[] = [];
  for (const file of files) {
    const inRange = [...unique.values()].filter((r) => {
      const position = r.source?.offset ?? r.offset;
      return (
        r.value.tenant === file.tenant &&
        hourOf(r) === file.hour &&
        file.ranges.some(
          (range) =>
            r.partition === range.partition &&
            r.source?.partition === range.sourcePartition &&
            position >= range.firstOffset &&
            position <= range.lastOffset,
        )
      );
    });
    for (const r of inRange) covering.set(r, (covering.get(r) ?? 0) + 1);
    const want = inRange.map((r) => r.value.id as string).sort();
    const got = file.rows.map((row) => cellText(row.id)).sort();
    if (want.join() !== got.join())
      wrongFiles.push(`${file.key} (${got.length} rows, the bus has ${want.length})`);
  }
  const all = [...unique.values()];
  return [
    ...listed('files not holding exactly the bus records of their name', wrongFiles),
    ...listed('bus records in no file', all.filter((r) => !covering.has(r)).map(where)),
    ...listed('bus records in several files', all.filter((r) => (covering.get(r) ?? 0) > 1).map(where)),
  ];
}

/**
 * Polls `check` until it finds nothing wrong; after `timeoutMs` throws with what was still wrong and
 * `context()` (the processes' logs). Errors thrown by `check` (an engine briefly busy) count as "not yet".
 */
export async function eventually(
  what: string,
  check: () => Promise<string[]>,
  options: { timeoutMs?: number; intervalMs?: number; context?: () => string } = {},
): Promise<void> {
  let problems: string[] = [];
  await waitFor(
    what,
    async () => {
      try {
        problems = await check();
      } catch (error) {
        problems = [`check failed: ${(error as Error).message}`];
      }
      return problems.length === 0;
    },
    {
      timeoutMs: options.timeoutMs ?? 180_000,
      intervalMs: options.intervalMs ?? 2000,
      context: () => `still wrong:\n  ${problems.join('\n  ')}\n${options.context?.() ?? ''}`,
    },
  );
}
