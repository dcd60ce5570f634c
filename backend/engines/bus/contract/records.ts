/** Test records that carry their key and a per-key sequence number, so order and loss are checkable. */
import type { BusRecord, ConsumedRecord } from '../../../../core/ports/bus.ts';

export interface Numbered {
  key: string;
  seq: number;
}

export function numbered(key: string, seq: number, headers?: Record<string, string>): BusRecord {
  const record: BusRecord = { key, value: Buffer.from(JSON.stringify({ key, seq })) };
  if (headers !== undefined) record.headers = headers;
  return record;
}

export function parse(record: ConsumedRecord): Numbered {
  return JSON.parse(Buffer.from(record.value).toString('utf8')) as Numbered;
}

/** Sequence numbers seen per key, in the order seen. */
export function byKey(records: Numbered[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const r of records) {
    const list = out.get(r.key);
    if (list === undefined) out.set(r.key, [r.seq]);
    else list.push(r.seq);
  }
  return out;
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
