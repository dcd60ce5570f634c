/**
 * The open windows of one window shape: one slot per window start, each holding a state per group
 * (tenant + service). A slot's life is driven by the partition's event-time clock (max event time):
 * it fires when clock − lateness reaches its end (first publication), takes late updates until
 * clock − lateness − lateUpdates reaches its end, then is published for the last time and evicted.
 * Because clock, membership and eviction depend only on the records in offset order, a replay rebuilds
 * the same slots with the same contents.
 */
export interface WindowSlot<G> {
  start: number;
  end: number;
  /** Clock at which the window is first published. */
  fireAt: number;
  /** Clock at which the window is final; events arriving at or after it are late and dropped. */
  evictAt: number;
  /** Bus offset of the slot's first record: the commit may not pass it while the slot is open. */
  firstOffset: bigint;
  /** Clock just before that record: a replay from firstOffset starts its clock here. */
  clockAtOpen: number;
  /** Bumped on every add; a publication records the version it showed, so unchanged slots are skipped. */
  version: number;
  publishedVersion: number;
  groups: Map<string, G>;
}

export interface WindowTable<G> {
  /** The slot for window [start, end), created on its first record. */
  slot(start: number, end: number, offset: bigint, clockBefore: number): WindowSlot<G>;
  /**
   * Calls `publish` for every slot that is due and changed since it was last published: fired by the
   * clock, or by `publishClock` (wall clock of a quiet partition; publishes without closing). Evicts final
   * slots.
   */
  collect(clock: number, publishClock: number, publish: (slot: WindowSlot<G>) => void): void;
  /** The open slot with the smallest first offset, if any. */
  oldest(): WindowSlot<G> | undefined;
  readonly size: number;
}

export function createWindowTable<G>(latenessMs: number, lateUpdatesMs: number): WindowTable<G> {
  const slots = new Map<number, WindowSlot<G>>();
  // Most events land in the newest window; remembering it skips the map lookup.
  let recent: WindowSlot<G> | undefined;

  return {
    get size() {
      return slots.size;
    },
    slot(start, end, offset, clockBefore) {
      if (recent !== undefined && recent.start === start) return recent;
      let slot = slots.get(start);
      if (slot === undefined) {
        const fireAt = end + latenessMs;
        slot = {
          start,
          end,
          fireAt,
          evictAt: fireAt + lateUpdatesMs,
          firstOffset: offset,
          clockAtOpen: clockBefore,
          version: 0,
          publishedVersion: 0,
          groups: new Map(),
        };
        slots.set(start, slot);
      }
      recent = slot;
      return slot;
    },
    collect(clock, publishClock, publish) {
      for (const slot of slots.values()) {
        const final = slot.evictAt <= clock;
        const due = slot.fireAt <= clock || slot.fireAt <= publishClock;
        if ((final || due) && slot.version !== slot.publishedVersion) {
          publish(slot);
          slot.publishedVersion = slot.version;
        }
        if (final) {
          slots.delete(slot.start);
          if (recent === slot) recent = undefined;
        }
      }
    },
    oldest() {
      let oldest: WindowSlot<G> | undefined;
      for (const slot of slots.values()) {
        if (oldest === undefined || slot.firstOffset < oldest.firstOffset) oldest = slot;
      }
      return oldest;
    },
  };
}
