import { getRandomValues, hash } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562): 48-bit Unix ms timestamp, then randomness. Ids minted in the same millisecond
 * by this process stay in order because the 12-bit rand_a field is used as a counter (method 1 of
 * RFC 9562 §6.2), so sorting by id agrees with minting order, which the search cursor relies on.
 */

const HEX: string[] = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

// Random bytes are drawn in blocks: one getRandomValues call per 512 ids instead of one per id.
const POOL_IDS = 512;
const pool = new Uint8Array(POOL_IDS * 8);
let poolIndex = POOL_IDS;

let lastMs = -1;
let counter = 0;

function nextRandom(): number {
  if (poolIndex === POOL_IDS) {
    getRandomValues(pool);
    poolIndex = 0;
  }
  return poolIndex++ * 8;
}

export function uuidv7(now: number = Date.now()): string {
  let ms = now;
  if (ms <= lastMs) {
    // Same (or an earlier, if the clock stepped back) millisecond: count up so order is kept.
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      // Counter exhausted: borrow the next millisecond rather than repeat or go backwards.
      ms = lastMs + 1;
      counter = 0;
    }
  } else {
    counter = 0;
  }
  lastMs = ms;
  const r = nextRandom();
  const hi = Math.floor(ms / 0x10000);
  const lo = ms % 0x10000;
  const b = pool;
  return (
    hex32(hi) +
    '-' +
    hex16(lo) +
    '-' +
    HEX[0x70 | (counter >> 8)] +
    HEX[counter & 0xff] +
    '-' +
    HEX[0x80 | (b[r] & 0x3f)] +
    HEX[b[r + 1]] +
    '-' +
    HEX[b[r + 2]] +
    HEX[b[r + 3]] +
    HEX[b[r + 4]] +
    HEX[b[r + 5]] +
    HEX[b[r + 6]] +
    HEX[b[r + 7]]
  );
}

function hex32(n: number): string {
  return HEX[(n >>> 24) & 0xff] + HEX[(n >>> 16) & 0xff] + HEX[(n >>> 8) & 0xff] + HEX[n & 0xff];
}

function hex16(n: number): string {
  return HEX[(n >>> 8) & 0xff] + HEX[n & 0xff];
}

/** Milliseconds since the epoch encoded in a UUIDv7. */
export function uuidv7Time(id: string): number {
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}

/** The variant nibble (10xx) for each hex digit the hash gives: its two low bits kept. */
const VARIANT_NIBBLE = '89ab89ab89ab89ab';

/**
 * A deterministic UUID (version 8, RFC 9562 §5.8) from a name: the same name always gives the same id.
 * The agent derives event ids from the file fingerprint and byte offset with it, so a line resent after a
 * crash carries the id it had the first time and stores can drop the duplicate.
 *
 * The id is the first 16 bytes of the name's SHA-256 with the version and variant bits set. It is made
 * from the hex digest by slicing: one native call per id (no Hash object, no Buffer), and the same ids
 * as every earlier version, so resends across an agent upgrade are still recognized.
 */
export function uuidFromName(name: string): string {
  const h = hash('sha256', name, 'hex');
  // Byte 6's high nibble becomes the version (8); byte 8's top two bits become the variant (10).
  const variant = VARIANT_NIBBLE[Number.parseInt(h[16], 16)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * The first four groups of a UUID (version 8) from a name, ending in `-`: uuidAt() adds the last one.
 * Made like uuidFromName's, from the name's SHA-256 (74 bits of it).
 */
export function uuidPrefix(name: string): string {
  const h = hash('sha256', name, 'hex');
  const variant = VARIANT_NIBBLE[Number.parseInt(h[16], 16)];
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-`;
}

const OFFSET_SPAN = 2 ** 48;

/**
 * A deterministic UUID (version 8) for byte `offset` of the source `prefix` names: the last group is
 * the offset (modulo 2^48, 256 TiB). Ids of one file share their first 24 characters and count up in
 * the last 12, so a batch of them compresses to a few bytes each, where uuidFromName's cost about 20
 * compressed bytes per event.
 */
export function uuidAt(prefix: string, offset: number): string {
  return prefix + (offset % OFFSET_SPAN).toString(16).padStart(12, '0');
}

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
