import { MIN_DIGITS as CARD_DIGITS, maskCardNumber } from './creditCard.ts';
import { AWS_KEY, CREDIT_CARD, EMAIL, JWT, PRIVATE_KEY, TOKEN } from './detectors.ts';
import { maskEmail } from './email.ts';
import { keyDetectorAt, maskKeyValue } from './keyValue.ts';
import { maskPrivateKey } from './privateKey.ts';
import { resetSpans, type Scanner } from './spans.ts';
import { maskToken, TOKEN_START_BYTES, TOKEN_STARTS, tokenMayStart } from './tokens.ts';
import { maskUrlUserinfo } from './urlUserinfo.ts';
import { maskXmlElement } from './xmlElement.ts';

/**
 * The one pass over a text. Letters and digits inside a word cost one table lookup and nothing else;
 * work happens only at the characters between words: `=` and `:` (a key's value, a URL's userinfo),
 * `>` (an XML element's text), `@` (an e-mail address), `-----BEGIN`, and the start of the next word
 * when it is a number (a card, if its first digit can start one) or begins with a token prefix (one
 * table lookup on its first two characters). Every detector returns where scanning resumes and none
 * looks back past the last masked span, so the pass stays linear however hostile the text.
 */

/**
 * Letters, digits, `_` and every non-ASCII character: nothing starts inside a word. Indexed by any UTF-16
 * code unit (64 KiB, of which ASCII text touches the first 128 bytes) so the hot loops need no range test.
 */
const IN_WORD = new Uint8Array(65536).fill(1);
for (let c = 0; c < 128; c++) {
  IN_WORD[c] = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 ? 1 : 0;
}

/** IN_WORD for bytes of printable ASCII: 0 for every byte past ASCII. */
const ASCII_WORD = new Uint8Array(256);
ASCII_WORD.set(IN_WORD.subarray(0, 128));

/** Detectors `scanText` can run, fixed per masker. */
export interface ScanPlan {
  keys: boolean;
  urlUserinfo: boolean;
  cards: boolean;
  emails: boolean;
  privateKeys: boolean;
  tokens: boolean;
}

export function planScan(enabled: number, keyDetectorsOn: boolean, urlUserinfo: boolean): ScanPlan {
  return {
    keys: keyDetectorsOn,
    urlUserinfo,
    cards: ((enabled >> CREDIT_CARD) & 1) === 1,
    emails: ((enabled >> EMAIL) & 1) === 1,
    privateKeys: ((enabled >> PRIVATE_KEY) & 1) === 1,
    tokens: (enabled & ((1 << JWT) | (1 << AWS_KEY) | (1 << TOKEN))) !== 0,
  };
}

/**
 * Whether scanText() could mask anything in `s`, the decoding of `bytes[start, end)`, found by a walk
 * over the bytes that runs no detector: for lines with nothing to mask (most lines) this costs a
 * fraction of the scan, whose loop over a string's characters is what masking costs. True for any byte
 * that is not printable ASCII (then `s` would not index like the bytes).
 *
 * It asks, at each place the scan would try a detector, whether that one could mask there, by what it
 * needs (a sensitive key before a `:` or `=`, 13 digits from an issuer digit, a token's prefix, an `@`,
 * `://`, `-----BEGIN`), with the scan's own helpers. Until the scan masks something, a detector that
 * masks nothing lets it go on right after the character it was tried at, so the places it tries are
 * these: each separator, and the start of each word. Never false where the scan masks
 * (core/mask/mayMask.test.ts).
 */
export function mayMaskAscii(
  sc: Scanner,
  plan: ScanPlan,
  bytes: Uint8Array,
  start: number,
  end: number,
  s: string,
): boolean {
  let p = start;
  while (p < end) {
    const c = bytes[p];
    if (c < 32 || c > 126) return true;
    if (ASCII_WORD[c] === 1) {
      // Most words start neither a card nor a token: two table loads rule them out.
      if ((c >= 50 && c <= 54) || TOKEN_START_BYTES[(c << 8) | bytes[p + 1]] === 1) {
        if (wordMayMask(plan, s, p - start, c)) return true;
      }
      p++;
      // Stops at a byte past ASCII too, which the check above then turns down.
      while (p < end && ASCII_WORD[bytes[p]] === 1) p++;
      continue;
    }
    const i = p - start;
    if (c === 61 || c === 58) {
      if (c === 58 && bytes[p + 1] === 47 && bytes[p + 2] === 47) {
        if (plan.urlUserinfo) return true;
      } else if (plan.keys && i > 0 && keyValueMayStartAt(sc, s, i) && keyDetectorAt(sc, s, i, 0) >= 0) {
        return true;
      }
    } else if (c === 62) {
      if (plan.keys && i > 1 && keyMayEndAt(sc, s, i)) return true;
    } else if (c === 64) {
      if (plan.emails) return true;
    } else if (c === 45) {
      if (plan.privateKeys && bytes[p + 1] === 45 && s.startsWith('-----BEGIN', i)) return true;
    }
    p++;
  }
  return false;
}

/** At the start of a word: could wordStart() mask a card or a token here? */
function wordMayMask(plan: ScanPlan, s: string, i: number, c: number): boolean {
  if (c >= 48 && c <= 57) return plan.cards && c >= 50 && c <= 54 && cardDigits(s, i) >= CARD_DIGITS;
  if (!plan.tokens || c >= 128) return false;
  const c2 = s.charCodeAt(i + 1);
  const shapes = c2 < 128 ? TOKEN_STARTS[(c << 7) | c2] : undefined;
  return shapes !== undefined && tokenMayStart(s, i, shapes);
}

/** Digits from `i` in groups split by one space or dash (as maskCardNumber reads them), up to CARD_DIGITS. */
function cardDigits(s: string, i: number): number {
  let count = 0;
  let p = i;
  while (count < CARD_DIGITS && p < s.length) {
    if (isDigit(s.charCodeAt(p))) count++;
    else if (!((s.charCodeAt(p) === 32 || s.charCodeAt(p) === 45) && isDigit(s.charCodeAt(p + 1)))) break;
    p++;
  }
  return count;
}

/** Fills `sc.spans` with what must be masked in `s`. */
export function scanText(sc: Scanner, plan: ScanPlan, s: string): void {
  resetSpans(sc.spans);
  sc.pemSearchedFrom = s.length + 1;
  sc.pemEndAt = -1;
  const n = s.length;
  let i = n > 0 ? wordStart(sc, plan, s, 0) : 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (IN_WORD[c] === 1) {
      i++;
      continue;
    }
    let next = -1;
    if (c === 61 || c === 58) {
      if (c === 58 && s.charCodeAt(i + 1) === 47 && s.charCodeAt(i + 2) === 47) {
        if (plan.urlUserinfo) next = maskUrlUserinfo(sc, s, i);
      } else if (plan.keys && i > 0 && keyValueMayStartAt(sc, s, i)) next = maskKeyValue(sc, s, i);
    } else if (c === 62) {
      if (plan.keys && i > 1 && keyMayEndAt(sc, s, i)) next = maskXmlElement(sc, s, i);
    } else if (c === 64) {
      if (plan.emails) next = maskEmail(sc, s, i);
    } else if (c === 45) {
      if (plan.privateKeys && s.charCodeAt(i + 1) === 45 && s.startsWith('-----BEGIN', i)) {
        next = maskPrivateKey(sc, s, i);
      }
    }
    if (next < 0) next = i + 1;
    // `next` is the first character after a separator or a masked span: a word may start there.
    i = next < n ? wordStart(sc, plan, s, next) : next;
  }
}

/** One table load on the two characters before `i` rules out most keys before any walk (`status=`). */
function keyMayEndAt(sc: Scanner, s: string, i: number): boolean {
  const last = s.charCodeAt(i - 1);
  const secondLast = i > 1 ? s.charCodeAt(i - 2) : 32;
  return last < 128 && secondLast < 128 && sc.keyTails[(last << 7) | secondLast] === 1;
}

/**
 * keyMayEndAt for a `=` or `:`. After a quote it judges the key inside the quotes (behind any
 * backslashes of JSON nested in a string), which is where maskKeyValue reads it: every JSON member
 * ends in a quote, and without this each of them would cost a walk of its key.
 */
function keyValueMayStartAt(sc: Scanner, s: string, i: number): boolean {
  const last = s.charCodeAt(i - 1);
  if (last !== 34 && last !== 39) return keyMayEndAt(sc, s, i);
  let j = i - 2;
  while (j >= 0 && s.charCodeAt(j) === 92) j--;
  if (j < 0) return false;
  const keyLast = s.charCodeAt(j);
  const keySecondLast = j > 0 ? s.charCodeAt(j - 1) : 32;
  if (keyLast < 128 && keySecondLast < 128 && sc.keyTails[(keyLast << 7) | keySecondLast] === 1) return true;
  // A dotted key is sensitive by any segment (`"password.hint"`): its tail alone cannot rule it out.
  return last === 34 && quotedKeyHasDot(s, j);
}

/** A `.` between `j` and the opening quote of the key (looked for no further than a long key). */
function quotedKeyHasDot(s: string, j: number): boolean {
  for (let p = j, lo = Math.max(0, j - 128); p >= lo; p--) {
    const c = s.charCodeAt(p);
    if (c === 46) return true;
    if (c === 34) return false;
  }
  return false;
}

/**
 * At `i`, where a word may start: tries a card number or a token, and otherwise skips the word, since
 * nothing else can start inside it. Returns where scanning resumes.
 */
function wordStart(sc: Scanner, plan: ScanPlan, s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (IN_WORD[c] === 0) return i;
  let p = i + 1;
  if (c >= 48 && c <= 57) {
    while (p < s.length && isDigit(s.charCodeAt(p))) p++;
    // Only issuer digits 2–6 start a card (epoch times and counters start with 1), and only a long run
    // or a group followed by a separator and more digits can make 13: most numbers stop here.
    if (plan.cards && c >= 50 && c <= 54 && (p - i >= 13 || (p - i >= 3 && continuesGroups(s, p)))) {
      const next = maskCardNumber(sc, s, i);
      if (next >= 0) return next;
    }
  } else if (plan.tokens && c < 128) {
    const c2 = s.charCodeAt(i + 1);
    const shapes = c2 < 128 ? TOKEN_STARTS[(c << 7) | c2] : undefined;
    if (shapes !== undefined) {
      const next = maskToken(sc, s, i, shapes);
      if (next >= 0) return next;
    }
  }
  while (p < s.length && IN_WORD[s.charCodeAt(p)] === 1) p++;
  return p;
}

/**
 * A space or dash and then three digits at `p`: the number may go on in groups (`4111 1111 …`).
 * Dates (`2026-11-23`) stop here.
 */
function continuesGroups(s: string, p: number): boolean {
  const sep = s.charCodeAt(p);
  return (
    (sep === 32 || sep === 45) &&
    isDigit(s.charCodeAt(p + 1)) &&
    isDigit(s.charCodeAt(p + 2)) &&
    isDigit(s.charCodeAt(p + 3))
  );
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
