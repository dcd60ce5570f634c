/**
 * Where an enriched record came from: the logs.raw partition and offset, carried as a record header.
 * A replay of the processor (a crash, a restart with windows open, a reset consumer group) produces
 * records already in logs.enriched again under new offsets, but with the same source position; the
 * archiver names its files by it, so a replayed event lands on rows the archive already holds.
 */
export const SOURCE_HEADER = 'sluice-source';

export interface SourcePosition {
  partition: number;
  offset: bigint;
}

/** The headers of an enriched record: its source position, and `also` (the event schema header). */
export function sourceHeaders(
  partition: number,
  offset: bigint,
  also?: Readonly<Record<string, string>>,
): Record<string, string> {
  const headers = { [SOURCE_HEADER]: `${partition}:${offset}` };
  return also === undefined ? headers : Object.assign(headers, also);
}

/** The position in a record's headers, or undefined (a record written by an older processor or a tool). */
export function readSource(headers: Record<string, string> | undefined): SourcePosition | undefined {
  const text = headers?.[SOURCE_HEADER];
  if (text === undefined) return undefined;
  const match = /^(0|[1-9]\d{0,8}):(0|[1-9]\d{0,18})$/.exec(text);
  return match === null ? undefined : { partition: Number(match[1]), offset: BigInt(match[2]) };
}
