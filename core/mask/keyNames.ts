import { AWS_KEY, PASSWORD, PRIVATE_KEY, SECRET, TOKEN } from './detectors.ts';

/**
 * Sensitive key names and the detector each belongs to. A key is sensitive when its normalized form
 * (lower case, separators `_ - . space` dropped: `API_KEY`, `api-key`, `apiKey` → `apikey`) ends with
 * one of these names, so `db_password`, `x-api-key`, `client_secret` and `githubToken` match too.
 * `weak` names are short words that end ordinary words as well (`bypass`, `oauth`): they match only as
 * a whole word (`db_pass`, `dbPass`, `pass`).
 */
const BUILTIN_KEY_NAMES: readonly (readonly [name: string, detector: number, weak?: 'weak'])[] = [
  ['password', PASSWORD],
  ['passwd', PASSWORD],
  ['pwd', PASSWORD],
  ['pass', PASSWORD, 'weak'],
  ['passphrase', PASSWORD],
  ['passcode', PASSWORD],
  ['password_hash', PASSWORD],
  ['password_digest', PASSWORD],
  ['secret', SECRET],
  ['secrets', SECRET],
  ['api_key', SECRET],
  ['credential', SECRET],
  ['credentials', SECRET],
  ['secret_key', SECRET],
  ['signing_key', SECRET],
  ['encryption_key', SECRET],
  ['account_key', SECRET],
  ['shared_access_key', SECRET],
  ['master_key', SECRET],
  ['token', TOKEN],
  ['auth', TOKEN, 'weak'],
  ['authorization', TOKEN],
  ['bearer', TOKEN],
  ['jwt', TOKEN],
  ['cookie', TOKEN],
  ['session', TOKEN, 'weak'],
  ['session_id', TOKEN],
  ['sessid', TOKEN],
  ['sig', TOKEN, 'weak'],
  ['signature', TOKEN],
  ['otp', TOKEN, 'weak'],
  ['private_key', PRIVATE_KEY],
  ['secret_access_key', AWS_KEY],
  ['aws_secret_key', AWS_KEY],
  ['aws_secret', AWS_KEY],
];

/** Symbols 0..35 are a-z then 0-9 (case folded); the rest tell the walk what to do. */
const ALPHABET = 36;
const SEP = 36;
const STOP = 37;
/** Keys longer than this are not looked at further back: bounds the work per `=` or `:`. */
const MAX_KEY_WALK = 64;

const KEY_CHAR = new Uint8Array(128).fill(STOP);
for (let c = 0; c < 26; c++) {
  KEY_CHAR[97 + c] = c;
  KEY_CHAR[65 + c] = c;
}
for (let c = 0; c < 10; c++) KEY_CHAR[48 + c] = 26 + c;
for (const c of '_-. ') KEY_CHAR[c.charCodeAt(0)] = SEP;

/**
 * Sensitive key names as a trie over reversed normalized names, so a key can be recognized by walking
 * backwards from the `=` or `:` that follows it, without first cutting the key out of the line.
 */
export interface KeyTrie {
  /** `next[node * 36 + symbol]`: child node, 0 when absent (node 0 is the root and never a child). */
  next: Int32Array;
  /** Detector id of the name ending at this node, -1 when none does. */
  detector: Int8Array;
  weak: Uint8Array;
  /** 1 where the name came from config `keys`: such names mask even when their detector is off. */
  fromConfig: Uint8Array;
}

export function normalizeKeyName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const x = c < 128 ? KEY_CHAR[c] : STOP;
    if (x < ALPHABET) out += String.fromCharCode(x < 26 ? 97 + x : 22 + x);
  }
  return out;
}

/** Builds the trie from the built-in names plus config `keys` (which mask as `secret` unless built in). */
export function buildKeyTrie(configKeys: readonly string[] = []): KeyTrie {
  const next: number[] = new Array(ALPHABET).fill(0);
  const detector: number[] = [-1];
  const weak: number[] = [0];
  const fromConfig: number[] = [0];
  const insert = (name: string): number => {
    const normalized = normalizeKeyName(name);
    let node = 0;
    for (let i = normalized.length - 1; i >= 0; i--) {
      const x = KEY_CHAR[normalized.charCodeAt(i)];
      let child = next[node * ALPHABET + x];
      if (child === 0) {
        child = detector.length;
        next[node * ALPHABET + x] = child;
        for (let j = 0; j < ALPHABET; j++) next.push(0);
        detector.push(-1);
        weak.push(0);
        fromConfig.push(0);
      }
      node = child;
    }
    return node;
  };
  for (const [name, id, isWeak] of BUILTIN_KEY_NAMES) {
    const node = insert(name);
    detector[node] = id;
    weak[node] = isWeak ? 1 : 0;
  }
  for (const name of configKeys) {
    if (normalizeKeyName(name) === '') continue;
    const node = insert(name);
    if (detector[node] < 0) {
      detector[node] = SECRET;
      // A configured name is a whole word: `ssn` must not match `lessn`.
      weak[node] = 1;
    }
    fromConfig[node] = 1;
  }
  return {
    next: Int32Array.from(next),
    detector: Int8Array.from(detector),
    weak: Uint8Array.from(weak),
    fromConfig: Uint8Array.from(fromConfig),
  };
}

/**
 * Which last two characters before a `=` or `:` are worth a look at the key, indexed by
 * `(last << 7) | secondLast`: the last two letters of some name (either case), or anything ending in a
 * closing quote, a space or a separator, or after one (those need the full walk). Every other pair
 * (`12:00`, `status=`, `method=`) rules the key out with one table load, before any walk.
 */
export function keyTails(trie: KeyTrie): Uint8Array {
  const tails = new Uint8Array(128 * 128);
  const pass = new Set<number>(['"', "'", '\t'].map((c) => c.charCodeAt(0)));
  for (let last = 0; last < 128; last++) {
    const x1 = KEY_CHAR[last];
    const child = x1 < ALPHABET ? trie.next[x1] : 0;
    for (let second = 0; second < 128; second++) {
      const x2 = KEY_CHAR[second];
      const possible =
        pass.has(last) ||
        x1 === SEP ||
        (child !== 0 &&
          (x2 >= ALPHABET || trie.next[child * ALPHABET + x2] !== 0 || trie.detector[child] >= 0));
      if (possible) tails[(last << 7) | second] = 1;
    }
  }
  return tails;
}

/** Where the last successful `matchKeyEnd` found the sensitive name to start. */
export const keyMatch = { start: 0 };

/**
 * Is the key that ends at `end` (inclusive) sensitive? Walks backwards no further than `lo`; returns the
 * detector id of the longest enabled name the key ends with, or -1. `enabled` is a bitmask by detector id.
 */
export function matchKeyEnd(trie: KeyTrie, enabled: number, s: string, end: number, lo: number): number {
  const { next, detector, weak, fromConfig } = trie;
  const floor = Math.max(lo, end - MAX_KEY_WALK);
  let node = 0;
  let found = -1;
  for (let p = end; p >= floor; p--) {
    const c = s.charCodeAt(p);
    const x = c < 128 ? KEY_CHAR[c] : STOP;
    if (x === SEP) continue;
    if (x === STOP) break;
    node = next[node * ALPHABET + x];
    if (node === 0) break;
    const id = detector[node];
    if (id < 0 || ((enabled >> id) & 1) + fromConfig[node] === 0) continue;
    if (weak[node] === 1 && !wordStartsAt(s, p, lo)) continue;
    found = id;
    keyMatch.start = p;
  }
  return found;
}

/** A word starts at `p` after a non-alphanumeric character or at a camelCase hump (`dbPass`). */
function wordStartsAt(s: string, p: number, lo: number): boolean {
  if (p <= lo) return true;
  const prev = s.charCodeAt(p - 1);
  const prevIsLower = (prev >= 97 && prev <= 122) || (prev >= 48 && prev <= 57);
  const prevIsUpper = prev >= 65 && prev <= 90;
  if (!prevIsLower && !prevIsUpper) return true;
  const c = s.charCodeAt(p);
  return prevIsLower && c >= 65 && c <= 90;
}

/** Is a whole key (e.g. one segment of a dotted attribute key) sensitive? Returns the detector id or -1. */
export function matchKey(trie: KeyTrie, enabled: number, key: string, from = 0, to = key.length): number {
  let end = to - 1;
  while (end >= from && KEY_CHAR[key.charCodeAt(end)] === SEP) end--;
  if (end < from) return -1;
  return matchKeyEnd(trie, enabled, key, end, from);
}

/** Start of the key whose sensitive name starts at `p`: back over key characters (bounded). */
export function findKeyStart(s: string, p: number, floor: number): number {
  const lo = Math.max(floor, p - MAX_KEY_WALK);
  while (p > lo && isKeyChar(s.charCodeAt(p - 1))) p--;
  return p;
}

/** Letters, digits, `_`, `-` and `.`: what keys are written with. */
function isKeyChar(c: number): boolean {
  return c < 128 && KEY_CHAR[c] !== STOP && c !== 32;
}

/** A dotted key is sensitive when any of its segments is; returns the detector id or -1. */
export function dottedKeyDetector(trie: KeyTrie, enabled: number, key: string): number {
  let from = 0;
  for (;;) {
    const dot = key.indexOf('.', from);
    const to = dot < 0 ? key.length : dot;
    const detector = matchKey(trie, enabled, key, from, to);
    if (detector >= 0) return detector;
    if (dot < 0) return -1;
    from = dot + 1;
  }
}
