/**
 * The ids of the last events one partition's processor let through, to drop a resent copy.
 *
 * Why copies arrive: the gateway answers only once Kafka holds a batch, but the answer can still be lost
 * (the gateway or the connection dies right after the produce, or a produce times out that the broker
 * completed), and the agent then sends the same batch again, with the same event ids. Both copies land
 * in the same logs.raw partition (the key is tenant/service) moments apart. The search store keeps one
 * document per id anyway; the windowed metrics and the archive would count the copy, so the processor
 * drops it here. The window is the last `capacity` ids of the partition: a resend comes within seconds.
 */
export interface RecentIds {
  has(id: string): boolean;
  /** Remembers ids once their events' output is durable (a failed batch, delivered again, must pass). */
  addAll(ids: Iterable<string>): void;
  readonly size: number;
}

/** 65 536 ids per partition: minutes of a busy partition's traffic, a few MiB of memory. */
export const RECENT_IDS_PER_PARTITION = 65_536;

export function createRecentIds(capacity = RECENT_IDS_PER_PARTITION): RecentIds {
  const ids = new Set<string>();
  // The same ids in arrival order, as a ring: the oldest is forgotten when a new one comes in.
  const ring: Array<string | undefined> = new Array(capacity);
  let next = 0;
  return {
    has: (id) => ids.has(id),
    addAll(batch) {
      for (const id of batch) {
        if (ids.has(id)) continue;
        const oldest = ring[next];
        if (oldest !== undefined) ids.delete(oldest);
        ring[next] = id;
        ids.add(id);
        next = (next + 1) % capacity;
      }
    },
    get size() {
      return ids.size;
    },
  };
}
