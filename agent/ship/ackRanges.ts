import type { AckRange } from './shipRecord.ts';

/**
 * The byte ranges one batch covers, merged as records arrive: consecutive lines of one file become one
 * range, so a batch of a thousand lines from three files acknowledges three ranges, not a thousand.
 * Records that skip bytes (lines dropped upstream) open a new range; the gap is not ours to acknowledge.
 */
export class AckRangeCollector {
  ranges: AckRange[] = [];
  /** Latest range of each file in this batch: lines of several files may interleave. */
  private latest = new Map<string, AckRange>();
  private last: AckRange | undefined;

  add(fileId: string, offset: number, next: number): void {
    let range = this.last;
    // The common case, a run of lines from one file, costs one comparison and no map lookup.
    if (range === undefined || range.fileId !== fileId) range = this.latest.get(fileId);
    if (range !== undefined && range.next === offset) {
      range.next = next;
    } else {
      range = { fileId, offset, next };
      this.ranges.push(range);
      this.latest.set(fileId, range);
    }
    this.last = range;
  }
}
