import { findKeyStart, keyMatch, matchKeyEnd } from './keyNames.ts';
import { maskRange, type Scanner } from './spans.ts';

/**
 * Called at the `>` of an XML start tag. Masks the text of `<password>…</password>` (namespaced tags
 * too) up to the next `<` or line break; returns where scanning resumes.
 */
export function maskXmlElement(sc: Scanner, s: string, gt: number): number {
  const floor = sc.spans.floor;
  const detector = matchKeyEnd(sc.trie, sc.enabled, s, gt - 1, floor);
  if (detector < 0) return gt + 1;
  let open = findKeyStart(s, keyMatch.start, floor) - 1;
  if (s.charCodeAt(open) === 58) open = findKeyStart(s, open, floor) - 1; // a namespace prefix
  // `<password>` opens an element; `</password>` closes one and `x>` is no tag at all.
  if (s.charCodeAt(open) !== 60) return gt + 1;
  let end = gt + 1;
  while (end < s.length && s.charCodeAt(end) !== 60 && s.charCodeAt(end) !== 10) end++;
  maskRange(sc, s, gt + 1, end, detector);
  return end;
}
