import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { keyPartitioner, murmur2, partitionForKey } from './partitioner.ts';

const require = createRequire(import.meta.url);
// kafkajs's own default-partitioner hash: the embedded log must place keys where Kafka would.
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
  key: string,
) => number;

describe('key partitioner', () => {
  it('hashes keys exactly like the Kafka default partitioner', () => {
    const keys = [
      '',
      'a',
      'ab',
      'abc',
      'abcd',
      'abcde',
      'acme/checkout',
      'tenant-ü/sérvice',
      'x'.repeat(257),
    ];
    for (let i = 0; i < 2000; i++) keys.push(`tenant-${i}/svc-${i % 7}`);
    for (const key of keys) assert.equal(murmur2(Buffer.from(key)), kafkajsMurmur2(key), key);
  });

  it('keeps one key on one partition and spreads many keys over all partitions', () => {
    const seen = new Set<number>();
    const cached = keyPartitioner(4);
    for (let i = 0; i < 200; i++) {
      const key = `tenant-${i}`;
      const p = partitionForKey(key, 4);
      assert.ok(p >= 0 && p < 4);
      assert.equal(cached(key), p);
      assert.equal(cached(key), partitionForKey(key, 4));
      seen.add(p);
    }
    assert.equal(seen.size, 4);
  });
});
