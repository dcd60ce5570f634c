import type { AlertInstance } from './alertInstance.ts';

/** What one evaluation saw for one alert. */
export interface Observation {
  rule: string;
  tenant: string;
  groupKey: string;
  group: AlertInstance['group'];
  holds: boolean;
  count: number;
  countExact: boolean;
  now: number;
}

export interface Transition {
  /** The alert after this evaluation; null when it is (or went back to) inactive. */
  next: AlertInstance | null;
  /** Set only when the state changed to one people are told about, so each change notifies once. */
  notify: 'firing' | 'resolved' | null;
}

/**
 * The state machine of one alert:
 *   inactive ─holds→ pending ─holds for `for`→ firing ─stops holding→ resolved ─next evaluation→ inactive
 * pending that stops holding goes straight back to inactive (nobody was told it started), and
 * resolved that holds again starts over at pending. With `for: 0` an alert fires at once.
 */
export function transition(prev: AlertInstance | null, seen: Observation, forMs: number): Transition {
  const base = {
    rule: seen.rule,
    tenant: seen.tenant,
    groupKey: seen.groupKey,
    group: seen.group,
    count: seen.count,
    countExact: seen.countExact,
    evaluatedAt: seen.now,
  };
  if (!seen.holds) {
    if (prev?.state === 'firing') {
      return {
        next: { ...base, state: 'resolved', activeSince: prev.activeSince, since: seen.now },
        notify: 'resolved',
      };
    }
    return { next: null, notify: null };
  }
  if (prev?.state === 'firing') return { next: { ...prev, ...base }, notify: null };
  const activeSince = prev?.state === 'pending' ? prev.activeSince : seen.now;
  if (seen.now - activeSince >= forMs) {
    return { next: { ...base, state: 'firing', activeSince, since: seen.now }, notify: 'firing' };
  }
  const since = prev?.state === 'pending' ? prev.since : seen.now;
  return { next: { ...base, state: 'pending', activeSince, since }, notify: null };
}
