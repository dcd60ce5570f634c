/**
 * The highest offset of one file below which every byte was acknowledged by the gateway.
 *
 * Batches are sent concurrently, so acknowledgements arrive in any order: a later range acknowledged
 * first must not move the checkpoint past an earlier range still in flight, or a crash right then would
 * skip the earlier lines for good. Ranges past the contiguous prefix wait here (sorted, disjoint, merged
 * as they touch) until the gap before them closes. In steady state the list holds a few ranges at most.
 */
export class ContiguousAcks {
  /** Every byte before this offset is acknowledged; the checkpoint may point here. */
  committed: number;
  private starts: number[] = [];
  private ends: number[] = [];

  constructor(committed: number) {
    this.committed = committed;
  }

  /** Number of acknowledged ranges still waiting for a gap before them to close. */
  get waitingRanges(): number {
    return this.starts.length;
  }

  /** Records that bytes [from, to) were acknowledged; returns whether `committed` moved. */
  ack(from: number, to: number): boolean {
    if (to <= this.committed || to <= from) return false;
    if (from > this.committed) {
      this.insert(from, to);
      return false;
    }
    this.committed = to;
    // Absorb the waiting ranges the new prefix now reaches.
    let drop = 0;
    while (drop < this.starts.length && this.starts[drop] <= this.committed) {
      if (this.ends[drop] > this.committed) this.committed = this.ends[drop];
      drop++;
    }
    if (drop > 0) {
      this.starts.splice(0, drop);
      this.ends.splice(0, drop);
    }
    return true;
  }

  private insert(from: number, to: number): void {
    const starts = this.starts;
    const ends = this.ends;
    // First range that ends at or after `from`: it is the first one we may touch.
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ends[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    let last = lo;
    let start = from;
    let end = to;
    while (last < starts.length && starts[last] <= end) {
      if (starts[last] < start) start = starts[last];
      if (ends[last] > end) end = ends[last];
      last++;
    }
    starts.splice(lo, last - lo, start);
    ends.splice(lo, last - lo, end);
  }
}
