import type { BusRecord, ConsumedRecord } from '../../core/ports/bus.ts';

/** How much of a refused record's payload a dead letter keeps. */
const MAX_RAW_CHARS = 64 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A dead letter for logs.dlq: why a record could not go on, where it came from, and its payload
 * (bounded), so an operator can inspect, fix and replay it.
 */
export function deadLetter(
  stage: string,
  reason: string,
  source: ConsumedRecord | { value: Uint8Array; key: string },
): BusRecord {
  const raw = decoder.decode(source.value);
  const letter = {
    stage,
    reason,
    at: new Date().toISOString(),
    ...('topic' in source
      ? { topic: source.topic, partition: source.partition, offset: String(source.offset) }
      : {}),
    raw: raw.length > MAX_RAW_CHARS ? raw.slice(0, MAX_RAW_CHARS) : raw,
    raw_truncated: raw.length > MAX_RAW_CHARS,
  };
  return { key: source.key, value: encoder.encode(JSON.stringify(letter)) };
}
