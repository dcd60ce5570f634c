import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import kafkajs from 'kafkajs';
import { engineSettings, type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';
import { type Batch, makeBatch } from './harness/batches.ts';
import { cleanUp } from './harness/cleanup.ts';
import {
  authSection,
  type GatewayProcess,
  startGatewayProcess,
  type TestKey,
  writeSluiceYaml,
} from './harness/gatewayProcess.ts';
import { readTopic, type StoredRecord } from './harness/readTopic.ts';

const { Partitioners } = kafkajs;

const ACME: TestKey = { name: 'acme-agents', key: 'it-key-acme-4f1c', tenant: 'acme' };
const GLOBEX: TestKey = { name: 'globex-agents', key: 'it-key-globex-9a2e', tenant: 'globex' };
const PARTITIONS = 3;

interface Sent {
  key: TestKey;
  batch: Batch;
  status: number;
  answer: { accepted?: number; rejected?: number; errors?: Array<{ index: number; reason: string }> };
}

describe('gateway process → Kafka (deploy/local broker)', () => {
  let iso: Isolation;
  let dir: string;
  let gateway: GatewayProcess;

  before(async () => {
    await requireEngines('kafka');
    iso = isolate('gw-kafka-ingest', ['kafka']);
    dir = await mkdtemp(join(tmpdir(), 'sluice-gw-kafka-'));
    const config = await writeSluiceYaml(dir, {
      roles: ['gateway'],
      listen: { gateway: '127.0.0.1:0' },
      bus: {
        kind: 'kafka',
        brokers: engineSettings().kafkaBrokers,
        topic_prefix: iso.topicPrefix,
        partitions: PARTITIONS,
        replication: 1,
      },
      auth: authSection([ACME, GLOBEX]),
      limits: { max_line: '1KiB', max_depth: 8 },
      log: { level: 'info' },
    });
    gateway = await startGatewayProcess(config, dir);
  });

  after(() =>
    cleanUp(
      () => gateway?.stop(),
      () => iso?.cleanup(),
      () => dir && rm(dir, { recursive: true, force: true }),
    ),
  );

  it('stores exactly the accepted records of concurrent requests in logs.raw, once each, keyed tenant/service', async () => {
    // 12 requests of 300 records (every 13th invalid), from two tenants, some gzip-compressed, all at once.
    const requests = Array.from({ length: 12 }, (_, r) => ({
      key: r % 3 === 2 ? GLOBEX : ACME,
      batch: makeBatch(`kafka-r${r}`, 300, 13),
      gzip: r % 4 === 1,
    }));
    const sent: Sent[] = await Promise.all(
      requests.map(async ({ key, batch, gzip }) => {
        const res = await fetch(`${gateway.url}/api/v1/ingest`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${key.key}`,
            'content-type': 'application/x-ndjson',
            ...(gzip ? { 'content-encoding': 'gzip' } : {}),
          },
          body: gzip ? gzipSync(batch.body) : batch.body,
        });
        return { key, batch, status: res.status, answer: (await res.json()) as Sent['answer'] };
      }),
    );
    // One request where everything is refused: 422, and nothing of it may reach the topic.
    const refused = await fetch(`${gateway.url}/api/v1/ingest`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ACME.key}`, 'content-type': 'application/x-ndjson' },
      body: '{"id":"refused-1","level":"info"}\nnot json\n',
    });
    assert.equal(refused.status, 422);
    await refused.arrayBuffer();

    const expected = new Map<string, { tenant: string; service: string }>();
    for (const s of sent) {
      assert.equal(s.status, 202, `answer ${JSON.stringify(s.answer).slice(0, 300)}\n${gateway.logTail(10)}`);
      assert.equal(s.answer.accepted, s.batch.validIds.length);
      assert.equal(s.answer.rejected, s.batch.invalid.length);
      assert.deepEqual(
        s.answer.errors?.map((e) => e.index),
        s.batch.invalid,
        'every refused record is named by its position',
      );
      for (const id of s.batch.validIds) {
        expected.set(id, { tenant: s.key.tenant, service: s.batch.serviceOf.get(id) as string });
      }
    }
    assert.ok(expected.size > 3000, `a few thousand records (${expected.size})`);

    const stored: StoredRecord[] = await readTopic(
      iso.kafka(),
      `${iso.topicPrefix}logs.raw`,
      `${iso.groupPrefix}check`,
    );

    const seen = new Map<string, number>();
    for (const r of stored) seen.set(r.event.id as string, (seen.get(r.event.id as string) ?? 0) + 1);
    const twice = [...seen].filter(([, n]) => n > 1).map(([id]) => id);
    assert.deepEqual(twice.slice(0, 10), [], 'no record is in the topic twice');
    const missing = [...expected.keys()].filter((id) => !seen.has(id));
    assert.deepEqual(
      missing.slice(0, 10),
      [],
      `every accepted record is in the topic (${missing.length} missing)`,
    );
    const extra = [...seen.keys()].filter((id) => !expected.has(id));
    assert.deepEqual(extra.slice(0, 10), [], 'nothing refused or unknown is in the topic');
    assert.equal(stored.length, expected.size);

    const partitionOfKey = new Map<string, Set<number>>();
    for (const r of stored) {
      const want = expected.get(r.event.id as string);
      assert.ok(want);
      assert.equal(r.event.tenant, want.tenant, 'the tenant is the key’s, not the body’s');
      assert.equal(r.event.service, want.service);
      assert.equal(r.key, `${want.tenant}/${want.service}`, 'records are keyed tenant/service');
      const partitions = partitionOfKey.get(r.key) ?? new Set();
      partitions.add(r.partition);
      partitionOfKey.set(r.key, partitions);
    }
    // Both tenants, all four services: 8 keys, each on exactly one partition, the one Kafka's default
    // (murmur2) partitioner picks, so Java consumers and producers agree on where a key lives.
    assert.equal(partitionOfKey.size, 8);
    const murmur2 = Partitioners.DefaultPartitioner();
    for (const [key, partitions] of partitionOfKey) {
      assert.equal(partitions.size, 1, `key ${key} is on one partition, not ${[...partitions].join(',')}`);
      const expectedPartition = murmur2({
        topic: `${iso.topicPrefix}logs.raw`,
        partitionMetadata: Array.from({ length: PARTITIONS }, (_, p) => ({
          partitionId: p,
          leader: 1,
          partitionErrorCode: 0,
          replicas: [1],
          isr: [1],
        })),
        message: { key, value: null },
      });
      assert.equal([...partitions][0], expectedPartition, `key ${key}`);
    }
    assert.ok(
      new Set(stored.map((r) => r.partition)).size > 1,
      'the keys spread over more than one partition',
    );
  });
});
