import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import * as v from 'valibot';
import { KAFKA_CLIENTS, kafkaBusSchema } from '../../../backend/engines/bus/kafka/config.ts';
import { openKafkaBus } from '../../../backend/engines/bus/kafka/kafkaBus.ts';
import { openPlatformaticBus } from '../../../backend/engines/bus/kafka/platformatic/platformaticBus.ts';
import { silentLogger } from '../../../core/log/logger.ts';
import { BusUnavailableError } from '../../../core/ports/bus.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { makeBatch } from './harness/batches.ts';
import { cleanUp } from './harness/cleanup.ts';
import {
  authSection,
  type GatewayProcess,
  startGatewayProcess,
  type TestKey,
  writeSluiceYaml,
} from './harness/gatewayProcess.ts';
import { type PrivateKafka, startPrivateKafka } from './harness/privateKafka.ts';
import { readTopic } from './harness/readTopic.ts';

const OPEN = { kafkajs: openKafkaBus, platformatic: openPlatformaticBus } as const;
const KEY: TestKey = { name: 'outage-agents', key: 'it-key-outage-77d0', tenant: 'acme' };
const prefixOf = (client: string | undefined) => (client === undefined ? 'outage.' : `outage.${client}.`);
/** The client the default config uses, and the other one (its outage run is the last test below). */
const DEFAULT_CLIENT = v.parse(kafkaBusSchema, { kind: 'kafka' }).client;
const OTHER_CLIENT = KAFKA_CLIENTS.find((c) => c !== DEFAULT_CLIENT) ?? DEFAULT_CLIENT;

/** One request of the sender loop: when it went out and came back (a sequence number, not a time). */
interface Attempt {
  sentAt: number;
  answeredAt: number;
  status: number | 'network-error';
  retryAfter: string | null;
  code?: string;
  ids: string[];
}

/**
 * Clients that keep sending while the broker goes away and comes back. Every answer is kept with the ids
 * of its request, so the end of the test can check that nothing answered 202 is missing from Kafka.
 */
function startSenders(url: string, clients: number, label: string) {
  const attempts: Attempt[] = [];
  let clock = 0;
  let running = true;
  const loops = Array.from({ length: clients }, async (_, c) => {
    for (let n = 0; running; n++) {
      const batch = makeBatch(`${label}-c${c}-${n}`, 25);
      const sentAt = ++clock;
      let attempt: Attempt;
      try {
        const res = await fetch(`${url}/api/v1/ingest`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY.key}`, 'content-type': 'application/x-ndjson' },
          body: batch.body,
          signal: AbortSignal.timeout(60_000),
        });
        const body = (await res.json()) as { error?: { code?: string } };
        attempt = {
          sentAt,
          answeredAt: ++clock,
          status: res.status,
          retryAfter: res.headers.get('retry-after'),
          code: body.error?.code,
          ids: batch.validIds,
        };
      } catch {
        // No answer (connection dropped, timeout, not JSON): recorded, and the checks below fail on it.
        attempt = {
          sentAt,
          answeredAt: ++clock,
          status: 'network-error',
          retryAfter: null,
          ids: batch.validIds,
        };
      }
      attempts.push(attempt);
      // Keep the pressure on: a batch is (nearly) always in flight when the broker goes and comes back.
      await delay(attempt.status === 202 ? 5 : 10);
    }
  });
  return {
    attempts,
    /** The current position of the sequence, to mark phases of the test. */
    mark: () => ++clock,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

async function readyzStatus(url: string): Promise<number> {
  const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(15_000) });
  await res.arrayBuffer();
  return res.status;
}

describe('gateway when its Kafka broker stops mid-run (private broker)', () => {
  let broker: PrivateKafka;
  let dir: string;
  let gateway: GatewayProcess;

  before(async () => {
    broker = await startPrivateKafka();
    dir = await mkdtemp(join(tmpdir(), 'sluice-gw-outage-'));
    gateway = await startGatewayWith(undefined);
  });

  /** A gateway process on the private broker; `client` unset: the default Kafka client. */
  async function startGatewayWith(client: string | undefined): Promise<GatewayProcess> {
    const own = join(dir, client ?? 'default');
    await mkdir(own, { recursive: true });
    const config = await writeSluiceYaml(own, {
      roles: ['gateway'],
      listen: { gateway: '127.0.0.1:0' },
      bus: {
        kind: 'kafka',
        ...(client === undefined ? {} : { client }),
        brokers: broker.brokers,
        topic_prefix: prefixOf(client),
        partitions: 3,
        replication: 1,
      },
      auth: authSection([KEY]),
      log: { level: 'info' },
    });
    return startGatewayProcess(config, own);
  }

  after(() =>
    cleanUp(
      () => gateway?.stop(),
      () => broker?.destroy(),
      () => dir && rm(dir, { recursive: true, force: true }),
    ),
  );

  /**
   * Senders run throughout; the broker goes away (`breakBroker`) and comes back (`mendBroker`). While it
   * is away every batch sent is answered 503 with Retry-After and /readyz is 503; once it is back the same
   * gateway process acknowledges again; at the end every id of every 202 answer is in the topic.
   */
  async function outage(
    label: string,
    clients: number,
    breakBroker: () => Promise<void>,
    mendBroker: () => Promise<void>,
    gw = gateway,
    client: string | undefined = undefined,
  ) {
    const senders = startSenders(gw.url, clients, label);
    try {
      const accepted = (from: number) => senders.attempts.filter((a) => a.status === 202 && a.sentAt > from);
      await waitFor('the first acknowledged batches', () => accepted(0).length >= 5, { timeoutMs: 30_000 });

      await breakBroker();
      const down = senders.mark();
      const readyWhileDown = readyzStatus(gw.url);
      await waitFor(
        'a 503 for a batch sent while the broker is away',
        () => senders.attempts.some((a) => a.sentAt > down && a.status === 503),
        { timeoutMs: 60_000, intervalMs: 10 },
      );
      const mending = senders.mark();
      // Back right after the first 503, while the producer is still retrying what timed out: the moment
      // where a batch whose outcome is unknown and the clients' next batches race.
      await mendBroker();
      assert.equal(await readyWhileDown, 503, '/readyz said the bus was unreachable');
      const back = senders.mark();
      await waitFor(
        'acknowledged batches sent after the broker came back',
        () => accepted(back).length >= 5,
        {
          timeoutMs: 60_000,
          intervalMs: 100,
        },
      );
      assert.equal(gw.exitCode(), undefined, 'the same gateway process recovered, no restart');
      assert.equal(await readyzStatus(gw.url), 200, '/readyz is ready again');

      await senders.stop();
      const attempts = senders.attempts;
      const whileDown = attempts.filter((a) => a.sentAt > down && a.answeredAt < mending);
      assert.ok(whileDown.length > 0, 'some batches were sent and answered while the broker was away');
      assert.deepEqual(
        whileDown.filter((a) => a.status !== 503).map((a) => a.status),
        [],
        'with the broker away, every batch is answered 503: never 202, never a dropped connection',
      );
      for (const a of attempts.filter((x) => x.status === 503)) {
        assert.equal(a.code, 'bus_unavailable');
        assert.match(a.retryAfter ?? '', /^[1-9]\d*$/, 'a 503 says when to retry');
      }
      assert.deepEqual(
        [...new Set(attempts.map((a) => a.status))].filter((s) => s !== 202 && s !== 503),
        [],
        'every answer is 202 or 503',
      );

      const stored = await readTopic(
        new kafkajs.Kafka({
          brokers: broker.brokers,
          clientId: `check-${label}`,
          logLevel: kafkajs.logLevel.NOTHING,
        }),
        `${prefixOf(client)}logs.raw`,
        `check-${label}`,
      );
      const storedIds = new Set(stored.map((r) => r.event.id as string));
      const acknowledged = attempts.filter((a) => a.status === 202).flatMap((a) => a.ids);
      const lost = acknowledged.filter((id) => !storedIds.has(id));
      assert.deepEqual(
        lost.slice(0, 10),
        [],
        `${lost.length} of ${acknowledged.length} acknowledged records are missing from Kafka`,
      );
    } catch (error) {
      // The gateway's own log (produce failures, reconnects) is what explains a failure here.
      (error as Error).message += `\n--- gateway log ---\n${gw.logTail(30)}`;
      throw error;
    } finally {
      await senders.stop();
    }
  }

  it('broker stopped (deploy/local down, then up): 503 + Retry-After meanwhile, recovery without restart, nothing acknowledged lost', () =>
    outage('stopped', 2, broker.stop, broker.start));

  it('broker hung (SIGSTOP, then SIGCONT): 503 + Retry-After meanwhile, recovery without restart, nothing acknowledged lost', () =>
    // One client, so every batch has the same size: a batch that reuses the sequence numbers of one the
    // broker is still holding is then taken for its duplicate (acknowledged, not stored), not refused.
    outage('hung', 1, broker.pause, broker.resume));

  it(`broker hung, gateway on the other Kafka client (${OTHER_CLIENT}): 503 meanwhile, recovery without restart, nothing acknowledged lost`, async () => {
    const other = await startGatewayWith(OTHER_CLIENT);
    try {
      await outage(`hung-${OTHER_CLIENT}`, 1, broker.pause, broker.resume, other, OTHER_CLIENT);
    } finally {
      await other.stop();
    }
  });

  // Both clients: the moment this test provokes is in each client's own timeout and retry handling.
  for (const client of KAFKA_CLIENTS)
    it(`the Kafka bus (${client}) stores a batch sent right after one that timed out on the hung broker (not taken for its duplicate)`, async () => {
      // Under the gateway's 503s: the client gives up on a request to a hung broker after its request
      // timeout (10 s) and (kafkajs) rolls the batch's sequence numbers back, yet the broker appends the
      // batch once it wakes. Resuming the broker and sending the next batch just after that timeout and
      // before the client retries is the moment a reused sequence number turns an acknowledged batch into a
      // "duplicate". The bus's own timeout is set just past the client's so the test hits that moment.
      const bus = await OPEN[client]({
        brokers: broker.brokers,
        partitions: 1,
        replication: 1,
        produceTimeoutMs: 10_050,
        log: silentLogger,
      });
      const topic = `bus.sequence-check.${client}`;
      const records = (name: string) =>
        Array.from({ length: 25 }, (_, i) => ({
          key: 'acme/checkout',
          value: Buffer.from(JSON.stringify({ id: `${name}-${i}` })),
        }));
      try {
        // A broker that has just started may still be electing leaders for a new topic: try again.
        await waitFor(
          'the test topic',
          () =>
            bus.ensureTopics([topic]).then(
              () => true,
              () => false,
            ),
          { timeoutMs: 30_000, intervalMs: 500 },
        );
        await bus.produce(topic, records('before'));
        await broker.pause();
        await assert.rejects(bus.produce(topic, records('timed-out')), BusUnavailableError);
        await broker.resume();
        await bus.produce(topic, records('after'));
        const stored = await readTopic(
          new kafkajs.Kafka({
            brokers: broker.brokers,
            clientId: `sequence-check-${client}`,
            logLevel: kafkajs.logLevel.NOTHING,
          }),
          topic,
          `sequence-check-${client}`,
        );
        const ids = new Set(stored.map((r) => r.event.id as string));
        const missing = records('after')
          .map((r) => JSON.parse(r.value.toString()).id as string)
          .filter((id) => !ids.has(id));
        assert.deepEqual(missing, [], 'the batch acknowledged after the outage is in the topic');
      } finally {
        await broker.resume();
        await bus.close();
      }
    });
});
