/**
 * Retention decides which whole segments of a partition may go: the oldest ones, while they are older
 * than maxAgeMs (by their newest record) or while the partition is larger than maxBytes. The active
 * segment is never deleted; instead, once its oldest record is past maxAgeMs it is rolled, so that a
 * quiet partition's data can expire too.
 */

export interface RetentionPolicy {
  maxAgeMs?: number;
  maxBytes?: number;
}

export interface SegmentFacts {
  size: number;
  firstTimestamp: number | undefined;
  lastTimestamp: number | undefined;
}

/** How many segments, from the oldest, to delete. `segments` is oldest first; the last one is active. */
export function expiredSegmentCount(segments: SegmentFacts[], policy: RetentionPolicy, now: number): number {
  let total = 0;
  for (const s of segments) total += s.size;
  let n = 0;
  while (n < segments.length - 1) {
    const s = segments[n];
    // A sealed segment without records (a tail cut back to nothing by recovery) holds nothing to keep.
    const tooOld =
      policy.maxAgeMs !== undefined &&
      (s.lastTimestamp === undefined || s.lastTimestamp < now - policy.maxAgeMs);
    const tooBig = policy.maxBytes !== undefined && total > policy.maxBytes;
    if (!tooOld && !tooBig) break;
    total -= s.size;
    n++;
  }
  return n;
}

/** True when the active segment holds records older than maxAgeMs and should be rolled to let them expire. */
export function activeSegmentDue(active: SegmentFacts, policy: RetentionPolicy, now: number): boolean {
  return (
    policy.maxAgeMs !== undefined &&
    active.size > 0 &&
    active.firstTimestamp !== undefined &&
    active.firstTimestamp < now - policy.maxAgeMs
  );
}
