import { compatibilityPartitioner, type Partitioner, stringSerializer } from '@platformatic/kafka';

/** Distinct strings remembered; past it the cache starts afresh (keys are meant to repeat). */
const LIMIT = 10_000;

/**
 * A string serializer that encodes each distinct string once: record keys (tenant/service) and header
 * names and values repeat in every record of a batch. The client copies the bytes into its request,
 * so one Buffer can serve every record.
 */
export function memoizedStringSerializer(): (value?: string) => Buffer | undefined {
  const cache = new Map<string, Buffer | undefined>();
  return (value) => {
    if (value === undefined) return undefined;
    let bytes = cache.get(value);
    if (bytes === undefined) {
      if (cache.size >= LIMIT) cache.clear();
      bytes = stringSerializer(value);
      cache.set(value, bytes);
    }
    return bytes;
  };
}

/**
 * Java's murmur2 partitioner (compatibilityPartitioner), hashed once per distinct string key: the
 * client reduces the result modulo the topic's partition count afterwards, so it does not depend on it.
 */
export function memoizedPartitioner(): Partitioner<string, Buffer, string, string> {
  const cache = new Map<string, number>();
  return (message, key) => {
    if (typeof message.key !== 'string') return compatibilityPartitioner(message, key);
    let partition = cache.get(message.key);
    if (partition === undefined) {
      if (cache.size >= LIMIT) cache.clear();
      partition = compatibilityPartitioner(message, key);
      cache.set(message.key, partition);
    }
    return partition;
  };
}
