/**
 * The burst-then-silence case on the embedded engines (embedded bus, SQLite search and metrics, local
 * archive), all worker roles in one process: the processor closes the burst's windows by processing time
 * and commits every logs.raw partition to its end; then the process stops, the processor's consumer
 * group is reset (its offsets file removed) and a new process replays all of logs.raw; every store still
 * holds each event once and the metric points as counted.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serverConfigSchema } from '../../../backend/config/schema.ts';
import { type RunningServer, startServer } from '../../../backend/server/server.ts';
import { parseConfig } from '../../../core/config/parseConfig.ts';
import { normalizeRecord } from '../../../core/event/normalize.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { eventually } from './harness/verify.ts';
import { expectedMetrics, makeWorkload, metricKey, SERVICES, TENANTS, toRecord } from './harness/workload.ts';

const EVENTS = 4000;
const PARTITIONS = 3;
const MINUTE = 60_000;
const encoder = new TextEncoder();

describe(`embedded pipeline: a burst of ${EVENTS} events, then silence, then a full replay`, () => {
  let dir: string;
  let server: RunningServer | undefined;
  let events: LogEvent[];
  const start = () =>
    startServer(
      parseConfig(
        `
roles: [processor, indexer, metrics, archiver]
listen: { metrics: "127.0.0.1:0" }
bus: { dir: ${dir}/bus, partitions: ${PARTITIONS}, fsync: never }
search: { path: ${dir}/search }
metrics: { path: ${dir}/metrics.db }
archive: { dir: ${dir}/archive }
processing: { builtin_metrics: { allowed_lateness: 30s } }
`,
        'sluice.yaml',
        serverConfigSchema,
      ),
      silentLogger,
    );

  /** Sum of the processor group's committed offsets over logs.raw's partitions. */
  async function committedTotal(s: RunningServer): Promise<bigint> {
    const { bus, topics } = s.context;
    let total = 0n;
    for (let p = 0; p < PARTITIONS; p++)
      total += (await bus.committed(`${topics.prefix}sluice-processor`, topics.raw, p))?.nextOffset ?? 0n;
    return total;
  }

  async function expectEveryStoreExact(s: RunningServer): Promise<void> {
    const ids = new Set(events.map((e) => e.id));
    const search = await s.context.stores.search();
    await eventually('the search store does not hold each event once', async () => {
      const seen: string[] = [];
      for (const tenant of TENANTS) {
        let after: { ts: string; id: string } | undefined;
        for (;;) {
          const page = await search.search({
            tenant,
            range: { from: 0, to: Date.now() },
            limit: 1000,
            order: 'asc',
            after,
          });
          seen.push(...page.hits.map((e) => e.id));
          if (page.hits.length < 1000) break;
          const last = page.hits[page.hits.length - 1];
          after = { ts: last.ts, id: last.id };
        }
      }
      return seen.length === ids.size && seen.every((id) => ids.has(id))
        ? []
        : [`${seen.length} hits for ${ids.size} events`];
    });
    const archive = s.context.stores.archive();
    await eventually(
      'the archive does not hold each event once',
      async () => {
        const rows: string[] = [];
        for (const file of await archive.list({ from: 0, to: Date.now() }))
          rows.push(...(await archive.read(file)).map((e) => e.id));
        return rows.length === ids.size && new Set(rows).size === ids.size && rows.every((id) => ids.has(id))
          ? []
          : [`${rows.length} rows (${new Set(rows).size} ids) for ${ids.size} events`];
      },
      { timeoutMs: 120_000 },
    );
    const metrics = await s.context.stores.metrics();
    const expected = expectedMetrics(
      events.map((e) => ({ ...e, tsMs: Date.parse(e.ts), duration_ms: 0 }) as never),
      false,
    );
    const from = Math.min(...events.map((e) => Date.parse(e.ts)));
    await eventually('the metric store does not match the counts', async () => {
      const wrong: string[] = [];
      let counted = 0;
      for (const tenant of TENANTS)
        for (const service of SERVICES) {
          const [series] = await metrics.query({
            name: 'log_count',
            labels: { tenant, service },
            range: { from: Math.floor(from / MINUTE) * MINUTE, to: from + 20 * MINUTE },
            step: MINUTE,
          });
          for (const [bucket, value] of series?.points ?? []) {
            const want = expected.get(metricKey('log_count', tenant, service, bucket)) ?? null;
            if ((value ?? null) !== want) wrong.push(`${tenant}/${service}@${bucket}: ${value} ≠ ${want}`);
            counted += value ?? 0;
          }
        }
      if (counted !== events.length) wrong.push(`log_count adds up to ${counted}, not ${events.length}`);
      return wrong;
    });
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-idle-embedded-'));
    // No "clock" events: only processing time can close the last windows.
    events = makeWorkload(EVENTS, TENANTS)
      .filter((e) => e.message !== 'clock')
      .map((e) => {
        const r = normalizeRecord(toRecord(e), { tenant: e.tenant, observedMs: Date.now() });
        assert.ok(r.ok);
        return r.event;
      });
    server = await start();
    const { bus, topics } = server.context;
    for (let i = 0; i < events.length; i += 500)
      await bus.produce(
        topics.raw,
        events
          .slice(i, i + 500)
          .map((e) => ({ key: `${e.tenant}/${e.service}`, value: encoder.encode(JSON.stringify(e)) })),
      );
  });

  after(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('commits every logs.raw partition to its end once the partitions are quiet', async () => {
    const s = server as RunningServer;
    await eventually(
      'the processor does not commit logs.raw to its end',
      async () => {
        const total = await committedTotal(s);
        return total === BigInt(events.length) ? [] : [`committed ${total} of ${events.length}`];
      },
      { timeoutMs: 180_000 },
    );
  });

  it('holds each event once in every store, metric points as counted', async () => {
    await expectEveryStoreExact(server as RunningServer);
  });

  it('after a restart with the processor group reset, replays everything and every store is unchanged', async () => {
    await (server as RunningServer).stop();
    server = undefined;
    const groups = join(dir, 'bus', 'groups');
    const files = (await readdir(groups)).filter((f) =>
      Buffer.from(f.replace(/\.json$/, ''), 'base64url')
        .toString()
        .endsWith('sluice-processor'),
    );
    assert.equal(files.length, 1, 'the processor group has its offsets file');
    await rm(join(groups, files[0]));
    server = await start();
    const s = server;
    await eventually(
      'the processor did not replay logs.raw',
      async () => {
        const total = await committedTotal(s);
        return total === BigInt(events.length) ? [] : [`committed ${total} of ${events.length}`];
      },
      { timeoutMs: 180_000 },
    );
    const enriched: number[] = [];
    const counter = await s.context.bus.consume({
      group: 'check-enriched',
      topics: [s.context.topics.enriched],
      fromBeginning: true,
      handler: async (b) => {
        enriched.push(b.records.length);
      },
    });
    await eventually('logs.enriched does not hold the replay', async () => {
      const n = enriched.reduce((a, b) => a + b, 0);
      return n === 2 * events.length ? [] : [`${n} records`];
    });
    await counter.stop();
    await expectEveryStoreExact(s);
  });
});
