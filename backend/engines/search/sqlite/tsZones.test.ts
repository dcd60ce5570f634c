import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { LogEvent } from '../../../../core/event/types.ts';
import type { SearchCursor } from '../../../../core/ports/searchStore.ts';
import { evaluate, parseQuery } from '../../../../core/query/index.ts';
import { mulberry32, type Rng } from '../../../../core/random/mulberry32.ts';
import { parseTimestamp } from '../../../../core/time/timestamp.ts';
import { event, T0 } from '../contract/contractEvents.ts';
import { compareAsSqlite } from './partitionSearch.ts';
import { openSqliteSearchStore } from './sqliteSearchStore.ts';
import { type TsZone, tsZonesOf, ZONE_ROWS, zoneRuns, zoneWindow } from './tsZones.ts';

const zone = (n: number, lo: number, hi: number): TsZone => ({ zone: n, lo, hi });

describe('ts zone map', () => {
  it('keeps the least and greatest ts of each block of rowids a batch wrote', () => {
    const zones = tsZonesOf();
    zones.add(1, 50);
    zones.add(2, 40);
    zones.add(3, 60);
    zones.add(ZONE_ROWS, 10);
    assert.deepEqual([...zones.list()], [zone(0, 40, 60), zone(1, 10, 10)]);
  });

  it('merges adjacent zones alike into runs, and ends a run at a zone holding nothing of the range', () => {
    const runs = zoneRuns(
      [zone(3, 5, 12), zone(4, 12, 15), zone(5, 15, 18), zone(7, 16, 17), zone(8, 17, 30)],
      10,
      20,
    );
    assert.deepEqual(
      runs?.map((r) => [r.lo / ZONE_ROWS, (r.hi + 1) / ZONE_ROWS, r.inside]),
      [
        [3, 4, false],
        [4, 6, true],
        [7, 8, true],
        [8, 9, false],
      ],
    );
  });

  it('gives up on a file written so far out of order that runs would be many', () => {
    const zones = Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? zone(i, 0, 5) : zone(i, 5, 6)));
    assert.equal(zoneRuns(zones, 5, 10), null);
  });

  it('bounds the rowids of a range by the zones that may hold its rows', () => {
    const zones = [zone(0, 0, 9), zone(1, 10, 19), zone(2, 20, 29), zone(3, 5, 6)];
    assert.deepEqual(zoneWindow(zones, 12, 25), { lo: ZONE_ROWS, hi: 3 * ZONE_ROWS - 1 });
    // A late zone holding an early event stretches the window to it.
    assert.deepEqual(zoneWindow(zones, 6, 11), { lo: 0, hi: 4 * ZONE_ROWS - 1 });
    assert.equal(zoneWindow(zones, 30, 40), null);
  });
});

const HOUR = 3_600_000;
const SPAN = 6 * HOUR;
const WORDS = ['alpha', 'alpha beta gamma', 'alpha delta', 'beta gamma', 'epsilon'];

function events(rng: Rng, count: number): LogEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const ms = T0 + Math.floor((i / count) * SPAN) + Math.floor(rng() * 2000);
    return event(`e-${i}-${Math.floor(rng() * 1e6).toString(36)}`, 'acme', ms, {
      message: WORDS[Math.floor(rng() * WORDS.length)],
    });
  });
}

/** Orders events are written in, each a list of batches: rowids follow it, not time. */
const WRITE_ORDERS: Record<string, (all: LogEvent[], rng: Rng) => LogEvent[][]> = {
  'in time order': (all) => batches(all, 2000),
  'with late events written last': (all, rng) => {
    const late = new Set(all.filter(() => rng() < 0.05));
    return [
      ...batches(
        all.filter((e) => !late.has(e)),
        2000,
      ),
      [...late],
    ];
  },
  'with events from the future written first': (all, rng) => {
    const early = new Set(all.filter((_, i) => i > all.length / 2 && rng() < 0.03));
    return [
      [...early],
      ...batches(
        all.filter((e) => !early.has(e)),
        2000,
      ),
    ];
  },
  'in several batches, an earlier hour last': (all) => {
    const parts = batches(all, Math.ceil(all.length / 6));
    return [parts[0], parts[1], parts[3], parts[4], parts[5], parts[2]];
  },
  'in no order at all': (all, rng) =>
    batches(
      [...all].sort(() => rng() - 0.5),
      1000,
    ),
};

function batches(all: LogEvent[], size: number): LogEvent[][] {
  return Array.from({ length: Math.ceil(all.length / size) }, (_, i) => all.slice(i * size, (i + 1) * size));
}

const ms = (e: LogEvent) => parseTimestamp(e.ts).ms;
const byTsId = (a: LogEvent, b: LogEvent) => ms(a) - ms(b) || compareAsSqlite(a.id, b.id);

describe('searching a partition through its zone map', () => {
  for (const [name, order] of Object.entries(WRITE_ORDERS)) {
    it(`counts and pages every hit exactly once, written ${name}`, async () => {
      const rng = mulberry32(name.length * 7919);
      const all = events(rng, 40_000);
      const dir = await mkdtemp(join(tmpdir(), 'sluice-zones-'));
      const store = openSqliteSearchStore({ path: dir, readers: 0 });
      try {
        await store.init();
        for (const batch of order(all, rng)) await store.index(batch);
        for (let q = 0; q < 16; q++) {
          const text = ['alpha', '"beta gamma"', 'delta', 'alpha -delta'][q % 4];
          const query = parseQuery(text);
          const width = [10 * 60_000, HOUR, 3 * HOUR, 8 * HOUR][Math.floor(q / 4) % 4];
          const to = T0 + Math.floor(rng() * (SPAN + HOUR));
          const range = { from: to - width, to };
          const expected = all.filter((e) => ms(e) >= range.from && ms(e) < to && evaluate(query, e));
          const direction = q % 3 === 0 ? 'asc' : 'desc';
          expected.sort(direction === 'asc' ? byTsId : (a, b) => byTsId(b, a));
          const totalBound = [50, 10_000][q % 2];
          const seen: string[] = [];
          let after: SearchCursor | undefined;
          for (let page = 0; page < 1000; page++) {
            const result = await store.search({
              tenant: 'acme',
              query,
              range,
              limit: q % 4 < 2 ? 97 : 1000,
              order: direction,
              after,
              totalBound,
            });
            const label = `${text} [${range.from - T0}, ${to - T0}) ${direction} page ${page}`;
            assert.deepEqual(
              result.total,
              expected.length > totalBound
                ? { value: totalBound, relation: 'gte' }
                : { value: expected.length, relation: 'eq' },
              label,
            );
            seen.push(...result.hits.map((e) => e.id));
            if (result.next === null) break;
            after = result.next;
          }
          assert.deepEqual(
            seen,
            expected.map((e) => e.id),
            `${text} [${range.from - T0}, ${to - T0}) ${direction}`,
          );
        }
      } finally {
        await store.close();
        await rm(dir, { recursive: true, force: true });
      }
    });
  }
});
