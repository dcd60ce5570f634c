import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../../core/config/parseConfig.ts';
import { normalizeRecord } from '../../core/event/normalize.ts';
import type { LogEvent } from '../../core/event/types.ts';
import { EVENT_HEADERS, EVENT_SCHEMA_HEADER, EVENT_SCHEMA_VERSION } from '../../core/event/wireFormat.ts';
import { silentLogger } from '../../core/log/logger.ts';
import type { ConsumedRecord, Consumer } from '../../core/ports/bus.ts';
import { waitFor } from '../../test/helpers/waitFor.ts';
import { serverConfigSchema } from '../config/schema.ts';
import { openMetricStore } from '../runtime/openStores.ts';
import { type RunningServer, startServer } from '../server/server.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const encoder = new TextEncoder();

describe('processor role on the embedded bus', () => {
  let dir: string;
  let server: RunningServer;
  const enriched: ConsumedRecord[] = [];
  const dlq: ConsumedRecord[] = [];
  const consumers: Consumer[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-processor-'));
    const config = parseConfig(
      `
roles: [processor, metrics]
listen: { metrics: "127.0.0.1:0" }
bus: { dir: ${dir}/bus, partitions: 2 }
metrics: { path: ${dir}/metrics.db }
processing:
  filter: [ { when: "service:noise" } ]
`,
      'sluice.yaml',
      serverConfigSchema,
    );
    server = await startServer(config, silentLogger);
    const { bus, topics } = server.context;
    for (const [topic, sink] of [
      [topics.enriched, enriched],
      [topics.dlq, dlq],
    ] as const) {
      consumers.push(
        await bus.consume({
          group: `test-${topic}`,
          topics: [topic],
          fromBeginning: true,
          handler: async (b) => {
            sink.push(...b.records);
          },
        }),
      );
    }
  });

  after(async () => {
    for (const c of consumers) await c.stop();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('turns raw records into enriched events, dead letters and windowed metrics equal to an independent count, a resent batch once', async () => {
    const { bus, topics } = server.context;
    const events: LogEvent[] = [];
    // Three minutes of events for two services in time order, errors every fifth, then a later event per
    // service whose time moves the window clock past every window (plus allowed lateness) and closes them.
    for (let i = 0; i < 600; i++) {
      const service = i % 2 === 0 ? 'web' : 'db';
      const r = normalizeRecord(
        {
          ts: T0 + Math.floor(i / 200) * MIN + i,
          service,
          msg: `m${i}`,
          level: i % 5 === 0 ? 'error' : 'info',
        },
        { tenant: 'acme', observedMs: T0 + 10 * MIN },
      );
      assert.ok(r.ok);
      events.push(r.event);
    }
    const noise = normalizeRecord(
      { ts: T0, service: 'noise', msg: 'dropped' },
      { tenant: 'acme', observedMs: T0 + 10 * MIN },
    );
    const closer = ['web', 'db'].map((service) => {
      const r = normalizeRecord(
        { ts: T0 + 10 * MIN, service, msg: 'closer' },
        { tenant: 'acme', observedMs: T0 + 10 * MIN },
      );
      assert.ok(r.ok);
      return r.event;
    });
    assert.ok(noise.ok);
    const toRecord = (e: LogEvent) => ({
      key: `${e.tenant}/${e.service}`,
      value: encoder.encode(JSON.stringify(e)),
    });
    await bus.produce(topics.raw, [...events, noise.event].map(toRecord));
    await bus.produce(topics.raw, [
      { key: 'acme/web', value: encoder.encode('{not json') },
      { key: 'acme/web', value: encoder.encode(JSON.stringify({ id: 'x', message: 'no tenant' })) },
    ]);
    // An agent resends a batch whose answer it lost: the same events, the same ids, moments later.
    await bus.produce(topics.raw, events.slice(100, 150).map(toRecord));
    await bus.produce(topics.raw, closer.map(toRecord));

    const closers = new Set(closer.map((e) => e.id));
    const decoded = () => enriched.map((r) => JSON.parse(new TextDecoder().decode(r.value)) as LogEvent);
    // Each partition's output comes in order: once its closer is out, so is everything before it.
    await waitFor('both closers enriched', () => decoded().filter((e) => closers.has(e.id)).length === 2);
    assert.equal(enriched.length, 602, 'the resent copies are not produced again');
    await waitFor('two dead letters', () => dlq.length >= 2);
    const ids = new Set(enriched.map((r) => JSON.parse(new TextDecoder().decode(r.value)).id));
    assert.equal(ids.size, 602);
    assert.equal(ids.has(noise.event.id), false, 'the filter dropped the noise event');
    const letters = dlq.map((r) => JSON.parse(new TextDecoder().decode(r.value)));
    assert.deepEqual(letters.map((l) => l.stage).sort(), ['decode', 'validate']);

    const store = await openMetricStore(server.context.config.metrics, silentLogger);
    try {
      for (const service of ['web', 'db']) {
        const expected = [0, 1, 2].map((m) =>
          events.filter(
            (e) =>
              e.service === service &&
              Date.parse(e.ts) >= T0 + m * MIN &&
              Date.parse(e.ts) < T0 + (m + 1) * MIN,
          ),
        );
        const query = async (name: string) => {
          const series = await store.query({
            name,
            labels: { tenant: 'acme', service },
            range: { from: T0, to: T0 + 3 * MIN },
            step: MIN,
          });
          return series[0]?.points.map(([, v]) => v) ?? [];
        };
        const want = {
          log_count: expected.map((list) => list.length),
          error_count: expected.map((list) => list.filter((e) => e.level === 'error').length),
        };
        // Partial values may be published while windows are open; the final ones overwrite them.
        for (const [name, values] of Object.entries(want)) {
          await waitFor(
            `${name} of ${service} = ${values}`,
            async () => JSON.stringify(await query(name)) === JSON.stringify(values),
          );
        }
      }
    } finally {
      await store.close();
    }
  });

  it('writes an event no stage changed with its own bytes, and checks the schema header instead of every field', async () => {
    const { bus, topics } = server.context;
    const make = (msg: string, extra: Record<string, unknown> = {}) => {
      const r = normalizeRecord(
        { ts: T0 + 20 * MIN, service: 'bytes', msg, ...extra },
        { tenant: 'acme', observedMs: T0 + 20 * MIN },
      );
      assert.ok(r.ok);
      return r.event;
    };
    const plain = make('nothing to hide here');
    const secret = make('login password=hunter2 accepted');
    // Valid in shape, refused by eventSchema (host over 256 characters): only a header-less copy is checked.
    const longHost = { ...make('long host'), host: 'h'.repeat(300) };
    const headerless = { ...longHost, id: `${longHost.id}-bare` };
    // Indented JSON: bytes no serializer of ours would write, so seeing them again proves they were kept.
    const plainBytes = encoder.encode(JSON.stringify(plain, null, 1));
    await bus.produce(topics.raw, [
      { key: 'acme/bytes', value: plainBytes, headers: { ...EVENT_HEADERS } },
      { key: 'acme/bytes', value: encoder.encode(JSON.stringify(secret)), headers: { ...EVENT_HEADERS } },
      { key: 'acme/bytes', value: encoder.encode(JSON.stringify(longHost)), headers: { ...EVENT_HEADERS } },
      { key: 'acme/bytes', value: encoder.encode(JSON.stringify(headerless)) },
    ]);
    const byId = (id: string) =>
      enriched.find((r) => JSON.parse(new TextDecoder().decode(r.value)).id === id);
    await waitFor('the three events with the header', () =>
      [plain, secret, longHost].every((e) => byId(e.id)),
    );
    await waitFor('the header-less one in logs.dlq', () => dlq.length >= 3);
    assert.deepEqual(
      Buffer.from(byId(plain.id)?.value ?? []),
      Buffer.from(plainBytes),
      'unchanged: same bytes',
    );
    const masked = JSON.parse(new TextDecoder().decode(byId(secret.id)?.value));
    assert.doesNotMatch(masked.message, /hunter2/, 'masked: serialized anew');
    for (const e of [plain, secret, longHost])
      assert.equal(byId(e.id)?.headers?.[EVENT_SCHEMA_HEADER], EVENT_SCHEMA_VERSION);
    assert.equal(byId(headerless.id), undefined);
    const letter = JSON.parse(new TextDecoder().decode(dlq[dlq.length - 1].value));
    assert.equal(letter.stage, 'validate');
    assert.match(letter.reason, /^host: /);
  });
});

describe('processor role commits', () => {
  let dir: string;
  let server: RunningServer;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-processor-commit-'));
    const config = parseConfig(
      `
roles: [processor]
listen: { metrics: "127.0.0.1:0" }
bus: { dir: ${dir}/bus, partitions: 1 }
`,
      'sluice.yaml',
      serverConfigSchema,
    );
    server = await startServer(config, silentLogger);
  });

  after(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("commits nothing while the window opened by the partition's first record (offset 0) is open", async () => {
    const { bus, topics } = server.context;
    const group = `${topics.prefix}sluice-processor`;
    const record = (ts: number) => {
      const r = normalizeRecord({ ts, service: 'web', msg: 'm' }, { tenant: 'acme', observedMs: ts });
      assert.ok(r.ok);
      return { key: 'acme/web', value: encoder.encode(JSON.stringify(r.event)) };
    };
    await bus.produce(topics.raw, [record(T0), record(T0 + 1000), record(T0 + 2000)]);
    await waitFor('a commit', async () => (await bus.committed(group, topics.raw, 0)) !== null);
    // A restart must replay offsets 0–2: the window they are in has not been published as final.
    assert.equal((await bus.committed(group, topics.raw, 0))?.nextOffset, 0n);

    // A record 5 minutes later closes that window: the commit moves up to the record opening the next.
    await bus.produce(topics.raw, [record(T0 + 5 * MIN)]);
    await waitFor(
      'the commit to move',
      async () => (await bus.committed(group, topics.raw, 0))?.nextOffset === 3n,
    );
  });
});

describe('processor role on a partition gone quiet', () => {
  let dir: string;
  let server: RunningServer | undefined;
  const config = (d: string) =>
    parseConfig(
      `
roles: [processor]
listen: { metrics: "127.0.0.1:0" }
bus: { dir: ${d}/bus, partitions: 1 }
processing: { builtin_metrics: { size: 1s, allowed_lateness: 1s } }
`,
      'sluice.yaml',
      serverConfigSchema,
    );
  const record = (ts: number, msg = 'm') => {
    const r = normalizeRecord({ ts, service: 'web', msg }, { tenant: 'acme', observedMs: ts });
    assert.ok(r.ok);
    return { key: 'acme/web', value: encoder.encode(JSON.stringify(r.event)) };
  };
  /** Every record of a topic, read with a fresh group. */
  async function readAll(s: RunningServer, topic: string, group: string): Promise<ConsumedRecord[]> {
    const seen: ConsumedRecord[] = [];
    const consumer = await s.context.bus.consume({
      group,
      topics: [topic],
      fromBeginning: true,
      handler: async (b) => {
        seen.push(...b.records);
      },
    });
    await new Promise((r) => setTimeout(r, 300));
    await consumer.stop();
    return seen;
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-processor-idle-'));
  });

  after(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('closes the burst’s windows by processing time, emits each once, and commits everything read', async () => {
    server = await startServer(config(dir), silentLogger);
    const { bus, topics } = server.context;
    const group = `${topics.prefix}sluice-processor`;
    const now = Date.now();
    await bus.produce(topics.raw, [record(now - 500), record(now), record(now + 100)]);
    await waitFor(
      'the commit to pass the burst',
      async () => (await bus.committed(group, topics.raw, 0))?.nextOffset === 3n,
    );
    const points = (await readAll(server, topics.metrics, 'check-metrics')).map((r) =>
      JSON.parse(new TextDecoder().decode(r.value)),
    );
    const logCounts = points.filter((p) => p.name === 'log_count');
    const keys = logCounts.map((p) => `${p.bucket}`);
    assert.equal(new Set(keys).size, keys.length, 'each window emitted once');
    assert.equal(
      logCounts.reduce((sum, p) => sum + p.value, 0),
      3,
    );
  });

  it('replays from a held-back commit after a restart without producing logs.enriched again', async () => {
    const running = server as RunningServer;
    const { topics } = running.context;
    // A record far in the future of its own clock keeps a window open (the idle close takes 2 s).
    const now = Date.now();
    await running.context.bus.produce(topics.raw, [record(now + 3000, 'held'), record(now + 3001, 'held')]);
    await waitFor(
      'the records enriched',
      async () => (await readAll(running, topics.enriched, `c1`)).length === 5,
    );
    const group = `${topics.prefix}sluice-processor`;
    const held = await running.context.bus.committed(group, topics.raw, 0);
    assert.equal(held?.nextOffset, 3n, 'stopped with the window open: the commit is held');
    await running.stop();
    server = await startServer(config(dir), silentLogger);
    const restarted = server;
    await restarted.context.bus.produce(topics.raw, [record(Date.now() + 3002, 'after')]);
    await waitFor(
      'the record after the restart enriched',
      async () => (await readAll(restarted, topics.enriched, `c${Date.now()}`)).length >= 6,
    );
    const enriched = await readAll(restarted, topics.enriched, 'c-final');
    assert.equal(enriched.length, 6, 'the replayed records were not produced twice');
    await waitFor(
      'the commit to pass everything once quiet',
      async () => (await restarted.context.bus.committed(group, topics.raw, 0))?.nextOffset === 6n,
    );
  });
});
