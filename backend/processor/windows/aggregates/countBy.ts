/**
 * count_by with a top N that is safe to publish more than once. A window may be published before it is
 * final (the partition went idle, or late updates arrive after it fired), and an upsert can overwrite a
 * point but never delete one. So the values reported by name are every value that was in the top N at
 * any moment of the window (after any prefix of its events, ranked by count then first appearance), not
 * only the final top N: each earlier publication's label set is then a subset of the final one, the
 * final publication rewrites every point ever written, and the stored points are the same whether or
 * not the worker crashed and replayed. In practice that is the final top N plus a few early leaders.
 * Everything else is summed under OTHER_VALUE, which is always written (even 0) for the same reason.
 */
export interface CountByState {
  add(value: string): void;
  /** Calls `sink` once per value reported by name, then once with OTHER_VALUE. */
  emit(sink: (value: string, count: number) => void): void;
}

export const OTHER_VALUE = '__other__';
/** Distinct values counted exactly per window and group; values first seen after that count as other. */
export const MAX_DISTINCT_VALUES = 10_000;

interface Entry {
  value: string;
  count: number;
  /** Order of first appearance: breaks ties so the ranking is deterministic. */
  seen: number;
  inTop: boolean;
  reported: boolean;
}

export function createCountByState(top: number, maxDistinct = MAX_DISTINCT_VALUES): CountByState {
  const entries = new Map<string, Entry>();
  const current: Entry[] = [];
  const reported: Entry[] = [];
  let weakest: Entry | null = null;
  let total = 0;

  const promote = (entry: Entry) => {
    entry.inTop = true;
    if (!entry.reported) {
      entry.reported = true;
      reported.push(entry);
    }
  };
  const findWeakest = () => {
    weakest = current[0];
    for (const entry of current) if (outranks(weakest, entry)) weakest = entry;
  };

  return {
    add(value) {
      total++;
      let entry = entries.get(value);
      if (entry === undefined) {
        if (entries.size >= maxDistinct) return; // counted in total, so it lands in other
        entry = { value, count: 0, seen: entries.size, inTop: false, reported: false };
        entries.set(value, entry);
      }
      entry.count++;
      // Only this entry's rank changed, so the top N either keeps its members or swaps out its weakest.
      if (entry.inTop) {
        if (entry === weakest) findWeakest();
      } else if (current.length < top) {
        current.push(entry);
        promote(entry);
        findWeakest();
      } else if (outranks(entry, weakest!)) {
        weakest!.inTop = false;
        current[current.indexOf(weakest!)] = entry;
        promote(entry);
        findWeakest();
      }
    },
    emit(sink) {
      let named = 0;
      for (const entry of reported) {
        sink(entry.value, entry.count);
        named += entry.count;
      }
      sink(OTHER_VALUE, total - named);
    },
  };
}

function outranks(a: Entry, b: Entry): boolean {
  return a.count > b.count || (a.count === b.count && a.seen < b.seen);
}
