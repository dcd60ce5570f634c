/** The records the crash-test child produces, shared with the test that checks them. */
import type { BusRecord } from '../../../core/ports/bus.ts';

export const CRASH_TOPIC = 'crash.test';
export const PRODUCERS = 4;
export const KEYS_PER_PRODUCER = 3;
export const SEQS_PER_KEY_PER_BATCH = 20;

export interface CrashRecord {
  run: number;
  key: string;
  seq: number;
}

export function keyOf(producer: number, k: number): string {
  return `p${producer}-k${k}`;
}

/** Batch `batch` of `producer` in `run`: for each of its keys, the next SEQS_PER_KEY_PER_BATCH numbers. */
export function batchContents(run: number, producer: number, batch: number): CrashRecord[] {
  const out: CrashRecord[] = [];
  for (let i = 0; i < SEQS_PER_KEY_PER_BATCH; i++) {
    for (let k = 0; k < KEYS_PER_PRODUCER; k++) {
      out.push({ run, key: keyOf(producer, k), seq: batch * SEQS_PER_KEY_PER_BATCH + i });
    }
  }
  return out;
}

const PADDING = 'x'.repeat(200);

export function batchRecords(run: number, producer: number, batch: number): BusRecord[] {
  return batchContents(run, producer, batch).map((r) => ({
    key: r.key,
    value: Buffer.from(`${r.run}|${r.key}|${r.seq}|${PADDING}`),
  }));
}

export function parseCrashRecord(value: Uint8Array): CrashRecord {
  const [run, key, seq] = Buffer.from(value).toString('utf8').split('|');
  return { run: Number(run), key, seq: Number(seq) };
}
