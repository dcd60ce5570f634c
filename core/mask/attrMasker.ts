import type { AttrValue } from '../event/types.ts';
import { cookieAttrKind } from './cookie.ts';
import { isCardNumber } from './creditCard.ts';
import { CREDIT_CARD, TOKEN } from './detectors.ts';
import { dottedKeyDetector, type KeyTrie } from './keyNames.ts';
import { markerEnd } from './spans.ts';

/** Attribute keys repeat from event to event; their verdicts are kept for up to this many keys. */
const KEY_CACHE_LIMIT = 4096;

export interface AttrMaskerParts {
  trie: KeyTrie;
  enabled: number;
  markers: readonly string[];
  /** Masked values by detector id; incremented here. */
  counts: number[];
  maskText: (text: string) => string;
  /** Masks the values of a `Cookie` / `Set-Cookie` header value (see cookie.ts). */
  maskCookie: (text: string, kind: number) => string;
}

/**
 * Returns the function that masks one attribute: its value becomes the marker when the dotted key has a
 * sensitive segment (`db.password`, `credentials.user`); other strings are scanned like the message,
 * whole numbers checked for card numbers. Returns the value itself when nothing was masked.
 */
export function attrMasker(parts: AttrMaskerParts): (key: string, value: AttrValue) => AttrValue {
  const { trie, enabled, markers, counts, maskText, maskCookie } = parts;
  // Verdict per key: the detector id, or -1; cookie keys of the token detector add COOKIE_SHIFT × kind.
  const verdicts = new Map<string, number>();
  const keyDetector = (key: string): number => {
    let verdict = verdicts.get(key);
    if (verdict === undefined) {
      verdict = dottedKeyDetector(trie, enabled, key);
      if (verdict === TOKEN) verdict += COOKIE_SHIFT * cookieAttrKind(key);
      if (verdicts.size >= KEY_CACHE_LIMIT) verdicts.clear();
      verdicts.set(key, verdict);
    }
    return verdict;
  };
  const cards = ((enabled >> CREDIT_CARD) & 1) === 1;

  return (key, value) => {
    if (value === null || typeof value === 'boolean') return value;
    let detector = keyDetector(key);
    if (detector >= COOKIE_SHIFT) {
      if (typeof value === 'string') return maskCookie(value, Math.floor(detector / COOKIE_SHIFT));
      detector %= COOKIE_SHIFT;
    }
    if (detector >= 0) {
      if (value === '' || (typeof value === 'string' && markerEnd(value, 0) === value.length)) return value;
      counts[detector]++;
      return markers[detector];
    }
    if (typeof value === 'string') return maskText(value);
    if (cards && isCardNumber(value)) {
      counts[CREDIT_CARD]++;
      return markers[CREDIT_CARD];
    }
    return value;
  };
}

/** Above every detector id: a verdict of TOKEN + COOKIE_SHIFT × kind marks a cookie header key. */
const COOKIE_SHIFT = 64;
