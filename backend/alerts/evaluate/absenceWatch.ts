import type { KnownGroup } from './groupCounts.ts';

/**
 * Groups a `<`/`<=` rule has seen, so that a group which stops logging altogether is still counted
 * (as 0) instead of silently vanishing from the sample. Forgotten after `forgetAfterMs` without an
 * event (a service that is gone for good stops alerting then), and at most `maxGroups` are kept
 * (the longest unseen go first).
 */
export interface AbsenceWatch {
  groups(): KnownGroup[];
  saw(group: KnownGroup, now: number): void;
  forget(now: number): void;
}

export function createAbsenceWatch(options: { forgetAfterMs: number; maxGroups: number }): AbsenceWatch {
  const seen = new Map<string, { group: KnownGroup; at: number }>();
  return {
    groups: () => [...seen.values()].map((entry) => entry.group),
    saw(group, now) {
      seen.delete(group.groupKey); // re-inserting keeps the map ordered by last sighting
      seen.set(group.groupKey, { group, at: now });
    },
    forget(now) {
      for (const [key, entry] of seen) {
        if (now - entry.at > options.forgetAfterMs || seen.size > options.maxGroups) seen.delete(key);
        else break;
      }
    },
  };
}
