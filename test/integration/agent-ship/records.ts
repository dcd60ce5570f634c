import type { ShipperConfig } from '../../../agent/ship/shipper.ts';
import type { AckRange, ShipRecord } from '../../../agent/ship/shipRecord.ts';

/**
 * Test events: `count` lines of `lineBytes` bytes per file, interleaved across files the way several
 * tailed files would arrive. Each event names its file and offset so the receiving side can check order.
 */
export function makeRecords(files: string[], count: number, lineBytes = 100): ShipRecord[] {
  const records: ShipRecord[] = [];
  for (let i = 0; i < count; i++) {
    for (const file of files) {
      const offset = i * lineBytes;
      const json = JSON.stringify({ id: `${file}:${offset}`, file, offset, message: `line ${i} of ${file}` });
      records.push({ json, fileId: file, offset, next: offset + lineBytes });
    }
  }
  return records;
}

/** Collects acknowledged ranges per file, merged, to compare with what was sent. */
export class AckLedger {
  readonly ranges: AckRange[] = [];
  readonly onAcked = (ranges: readonly AckRange[]): void => {
    for (const r of ranges) this.ranges.push({ ...r });
  };

  /** Bytes acknowledged per file, as merged [offset, next) ranges. */
  coverage(fileId: string): Array<[number, number]> {
    const sorted = this.ranges.filter((r) => r.fileId === fileId).sort((a, b) => a.offset - b.offset);
    const out: Array<[number, number]> = [];
    for (const r of sorted) {
      const last = out[out.length - 1];
      if (last !== undefined && r.offset <= last[1]) last[1] = Math.max(last[1], r.next);
      else out.push([r.offset, r.next]);
    }
    return out;
  }
}

/** A parsed agent.yaml shipping section with small, test-friendly values. */
export function testConfig(
  url: string,
  stateDir: string,
  overrides: {
    gateway?: Partial<ShipperConfig['gateway']>;
    batch?: Partial<ShipperConfig['batch']>;
    spool?: Partial<ShipperConfig['spool']>;
  } = {},
): ShipperConfig {
  return {
    gateway: {
      url,
      compression: 'zstd',
      tls: { insecure_skip_verify: false },
      timeout: 10_000,
      concurrency: 2,
      probe_interval: 0,
      ...overrides.gateway,
    },
    state_dir: stateDir,
    batch: { max_events: 50, max_bytes: 1024 * 1024, max_wait: 50, ...overrides.batch },
    spool: { max_bytes: 64 * 1024 * 1024, ...overrides.spool },
  };
}
