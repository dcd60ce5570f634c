/**
 * Chooses a record's partition from its key: Kafka's default partitioner (murmur2 of the key's UTF-8
 * bytes, made positive, modulo the partition count). One key always lands in one partition, so its records
 * keep their order, and a key lands on the same partition number in standalone and on Kafka.
 */

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

/** Kafka's murmur2 (org.apache.kafka.common.utils.Utils.murmur2), in 32-bit integer arithmetic. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = SEED ^ length;
  const length4 = length >>> 2;
  for (let i = 0; i < length4; i++) {
    const i4 = i * 4;
    let k = data[i4] | (data[i4 + 1] << 8) | (data[i4 + 2] << 16) | (data[i4 + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const tail = length & ~3;
  // The trailing 1-3 bytes, as the reference implementation's fall-through switch mixes them.
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) {
    h ^= data[tail];
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

export function partitionForKey(key: string, partitions: number): number {
  return (murmur2(Buffer.from(key, 'utf8')) & 0x7fffffff) % partitions;
}

/** Memoizes partitionForKey for one topic: a produce batch repeats a few keys (tenant + service) many times. */
export function keyPartitioner(partitions: number): (key: string) => number {
  const cache = new Map<string, number>();
  return (key) => {
    let p = cache.get(key);
    if (p === undefined) {
      p = partitionForKey(key, partitions);
      // Bounded: keys are tenant + service, but an unbounded cache would be a leak if someone keys by id.
      if (cache.size >= 10_000) cache.clear();
      cache.set(key, p);
    }
    return p;
  };
}
