import type { WindowCheckpoint } from './types.ts';

/**
 * The checkpoint travels with the committed bus offset: as Kafka offset-commit metadata (a string of
 * up to 4 KiB by default), or beside the offset in the embedded bus. The offset itself is the commit;
 * the metadata carries the two clocks. Writing both in one commit is what makes them agree.
 */
const VERSION = 'w1';

/**
 * `producedThrough`, when given, is the last offset whose output is already durable downstream: a
 * restart feeds the records up to it to the windows again but does not produce them a second time.
 */
export function encodeCheckpointMetadata(checkpoint: WindowCheckpoint, producedThrough?: bigint): string {
  const clocks = `${VERSION} ${clockText(checkpoint.clock)} ${clockText(checkpoint.emittedThrough)}`;
  return producedThrough === undefined ? clocks : `${clocks} ${producedThrough}`;
}

/** The `producedThrough` saved by encodeCheckpointMetadata, or undefined (none saved, or unreadable). */
export function decodeProducedThrough(metadata: string | null | undefined): bigint | undefined {
  const parts = metadata?.split(' ');
  if (parts === undefined || parts.length !== 4 || parts[0] !== VERSION) return undefined;
  return /^(-1|0|[1-9]\d*)$/.test(parts[3]) ? BigInt(parts[3]) : undefined;
}

/**
 * The checkpoint for a partition whose committed offset (last processed, inclusive) and metadata were
 * read back. Without usable metadata (first start, or a commit made by something else) it returns
 * undefined: the engine then starts with an empty clock, which is exact for a partition read from its
 * beginning and otherwise may rewrite the windows open at the commit with partial values.
 */
export function decodeCheckpointMetadata(
  offset: bigint | null,
  metadata: string | null | undefined,
): WindowCheckpoint | undefined {
  const parts = metadata?.split(' ');
  if (parts === undefined || parts.length < 3 || parts.length > 4 || parts[0] !== VERSION) return undefined;
  const clock = readClock(parts[1]);
  const emittedThrough = readClock(parts[2]);
  if (Number.isNaN(clock) || Number.isNaN(emittedThrough)) return undefined;
  return { offset, clock, emittedThrough };
}

/** -Infinity (nothing seen yet) is written as `-`. */
function clockText(clock: number): string {
  return clock === Number.NEGATIVE_INFINITY ? '-' : String(clock);
}

function readClock(text: string): number {
  if (text === '-') return Number.NEGATIVE_INFINITY;
  return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
}
