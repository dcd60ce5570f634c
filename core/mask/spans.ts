import { MARKER_PREFIX } from './detectors.ts';
import type { KeyTrie } from './keyNames.ts';

/**
 * What one scan of a text found: ranges to replace, in increasing order and never overlapping.
 * Kept in parallel arrays reused from call to call so a scan allocates nothing until it finds something.
 */
export interface Spans {
  start: number[];
  end: number[];
  detector: number[];
  replacement: string[];
  count: number;
  /** End of the last span: nothing before it may be masked again, and backward walks stop here. */
  floor: number;
}

/** Everything a detector needs while scanning one text; built once per masker. */
export interface Scanner {
  /** Bitmask of enabled built-in detectors, by detector id. */
  enabled: number;
  trie: KeyTrie;
  /** `keyTails(trie)`: which two characters before a `=` or `:` are worth a look at the key. */
  keyTails: Uint8Array;
  /** Marker text by detector id, built once so masking allocates no marker strings. */
  markers: string[];
  spans: Spans;
  /**
   * Where the last search for a private key's END line started and what it found (-1: none after it).
   * Reused so many BEGIN lines without an END cost one search, not one each (which would be quadratic).
   */
  pemSearchedFrom: number;
  pemEndAt: number;
}

export function emptySpans(): Spans {
  return { start: [], end: [], detector: [], replacement: [], count: 0, floor: 0 };
}

export function resetSpans(spans: Spans): void {
  spans.count = 0;
  spans.floor = 0;
}

export function addSpan(
  spans: Spans,
  start: number,
  end: number,
  detector: number,
  replacement: string,
): void {
  const k = spans.count++;
  spans.start[k] = start;
  spans.end[k] = end;
  spans.detector[k] = detector;
  spans.replacement[k] = replacement;
  spans.floor = end;
}

/**
 * Masks `[start, end)` of `s` with the detector's marker unless it is empty or already exactly a marker
 * (so masking twice changes nothing). Returns whether a span was added.
 */
export function maskRange(sc: Scanner, s: string, start: number, end: number, detector: number): boolean {
  if (end <= start || markerEnd(s, start) === end) return false;
  addSpan(sc.spans, start, end, detector, sc.markers[detector]);
  return true;
}

/** End of the marker that starts at `p` (`[MASKED:name]`), or -1 when none does. */
export function markerEnd(s: string, p: number): number {
  if (!s.startsWith(MARKER_PREFIX, p)) return -1;
  for (let q = p + MARKER_PREFIX.length; q < s.length && q < p + 64; q++) {
    const c = s.charCodeAt(q);
    if (c === 93) return q + 1;
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95)) return -1;
  }
  return -1;
}

/** Applies the spans to `s`; returns `s` itself when there are none. */
export function applySpans(s: string, spans: Spans): string {
  if (spans.count === 0) return s;
  let out = '';
  let last = 0;
  for (let k = 0; k < spans.count; k++) {
    out += s.slice(last, spans.start[k]) + spans.replacement[k];
    last = spans.end[k];
  }
  return out + s.slice(last);
}
