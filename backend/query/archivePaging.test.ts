import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LogEvent } from '../../core/event/types.ts';
import type { ObjectStore } from '../../core/ports/objectStore.ts';
import { createLocalObjectStore } from '../engines/archive/local/localObjectStore.ts';
import { createArchive } from '../sinks/archive/archive.ts';
import { bytesAsAsyncBuffer, readArchiveMetadata } from '../sinks/archive/eventParquet.ts';
import { compareEvents } from './archiveSearch.ts';
import { DAY, HOUR, NOW, type QueryHarness, range, startQueryHarness } from './testing/queryHarness.ts';

/** Matching events in one archived hour: more than the ~200,000 that overflowed the stack (issue 11). */
const EVENTS = 210_000;
const FILES = 3;
const ROW_GROUP_ROWS = 5_000;
const LIMIT = 1_000;
const HOUR_START = Math.floor((NOW - 3 * DAY) / HOUR) * HOUR;

interface Page {
  hits: LogEvent[];
  next_cursor: string | null;
}

/** Byte ranges read from each archive file, so a test can tell which row groups a page decoded. */
function countingStore(store: ObjectStore) {
  const ranges: Array<{ key: string; start: number; end: number }> = [];
  const wrapped: ObjectStore = {
    ...store,
    get: async (key) => {
      const body = await store.get(key);
      if (body !== undefined) ranges.push({ key, start: 0, end: body.byteLength });
      return body;
    },
    getRange: async (key, start, end) => {
      ranges.push({ key, start, end });
      return store.getRange(key, start, end);
    },
  };
  return { wrapped, ranges };
}

describe('archive search over a big hour', () => {
  let h: QueryHarness;
  let reads: ReturnType<typeof countingStore>['ranges'];
  /** Byte span of each row group of each file, from the files' footers. */
  const groups = new Map<string, Array<[number, number]>>();
  let totalGroups = 0;

  before(async () => {
    h = await startQueryHarness({
      wrapArchiveStore: (store) => {
        const counting = countingStore(store);
        reads = counting.ranges;
        return counting.wrapped;
      },
    });
    // Written straight with the archive writer's encoder, small row groups so paging has many to skip.
    const store = createLocalObjectStore(join(h.dir, 'archive'));
    const writer = createArchive(store, { encode: { rowGroupRows: ROW_GROUP_ROWS } });
    for (let f = 0; f < FILES; f++) {
      const rows: LogEvent[] = [];
      for (let i = f; i < EVENTS; i += FILES) {
        const ts = new Date(HOUR_START + Math.floor((i * HOUR) / EVENTS)).toISOString();
        rows.push({
          id: `big-${String(i).padStart(7, '0')}`,
          ts,
          observed_ts: ts,
          level: 'info',
          service: 'checkout',
          tenant: 'acme',
          message: `request ${i}`,
          attrs: {},
        });
      }
      const file = await writer.write(
        {
          tenant: 'acme',
          hour: HOUR_START,
          busPartition: f,
          firstOffset: 0n,
          lastOffset: BigInt(rows.length - 1),
        },
        rows,
      );
      const metadata = await readArchiveMetadata(
        bytesAsAsyncBuffer((await store.get(file.key)) as Uint8Array),
      );
      const spans = metadata.row_groups.map((group): [number, number] => {
        const starts = group.columns.map((c) =>
          Number(c.meta_data?.dictionary_page_offset ?? c.meta_data?.data_page_offset ?? 0),
        );
        const ends = group.columns.map(
          (c) => Number(c.meta_data?.data_page_offset ?? 0) + Number(c.meta_data?.total_compressed_size ?? 0),
        );
        return [Math.min(...starts), Math.max(...ends)];
      });
      groups.set(file.key, spans);
      totalGroups += spans.length;
    }
  });
  after(() => h.close());

  /** Row groups whose bytes the reads since `from` touched. */
  function groupsRead(from: number): number {
    let n = 0;
    for (const [key, spans] of groups) {
      const mine = reads.slice(from).filter((r) => r.key === key);
      n += spans.filter(([s, e]) => mine.some((r) => r.start < e && r.end > s)).length;
    }
    return n;
  }

  /** Pages through the hour (at most `maxPages`): hits in order, each once, and row groups read per page. */
  async function pageThrough(order: 'asc' | 'desc', maxPages: number) {
    const seen = new Set<string>();
    let previous: LogEvent | undefined;
    let cursor: string | null = null;
    const groupsPerPage: number[] = [];
    do {
      const before = reads.length;
      const page: Page = await h.json<Page>(
        `/api/v1/search?source=archive&q=request&${range(HOUR_START, HOUR_START + HOUR)}&limit=${LIMIT}&order=${order}${cursor === null ? '' : `&cursor=${cursor}`}`,
        'operator',
      );
      groupsPerPage.push(groupsRead(before));
      for (const e of page.hits) {
        assert.ok(!seen.has(e.id), `${e.id} on two pages`);
        seen.add(e.id);
        if (previous !== undefined)
          assert.ok((order === 'asc' ? 1 : -1) * compareEvents(previous, e) < 0, 'in order');
        previous = e;
      }
      cursor = page.next_cursor;
    } while (cursor !== null && groupsPerPage.length < maxPages);
    return { seen, groupsPerPage };
  }

  it(`answers 200 and pages through all ${EVENTS} matches exactly once, newest first`, async () => {
    const { seen, groupsPerPage } = await pageThrough('desc', Number.POSITIVE_INFINITY);
    assert.equal(seen.size, EVENTS);
    // The last page holding hits is full, so one more (empty) page says the end was reached.
    assert.equal(groupsPerPage.length, EVENTS / LIMIT + 1);
  });

  it('resumes a page where the previous one stopped: a later page reads a few row groups, not the hour', async () => {
    const { seen, groupsPerPage } = await pageThrough('asc', 40);
    assert.equal(seen.size, 40 * LIMIT);
    const later = groupsPerPage.slice(1);
    // A page of 1,000 of 210,000 events spread over the hour lies within about one row group per file.
    assert.ok(
      Math.max(...later) <= 2 * FILES,
      `later pages read ${later.join(', ')} row groups each, of ${totalGroups} (a full reread reads all)`,
    );
  });
});
