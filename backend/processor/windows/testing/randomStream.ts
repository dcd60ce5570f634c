import type { Level, LogEvent } from '../../../../core/event/types.ts';
import { mulberry32 } from '../../../../core/random/mulberry32.ts';

export interface StreamRecord {
  event: LogEvent;
  offset: bigint;
}

export interface StreamShape {
  count: number;
  /** Event time of the first event, ms. */
  startMs?: number;
  /** Mean gap between consecutive events' true times, ms. */
  meanGapMs?: number;
  /** Fraction of events stamped earlier than their neighbours (out of order, within `jitterMs`). */
  outOfOrder?: number;
  jitterMs?: number;
  /** Fraction of events delayed by up to `lateByMs`: most of them end up too late for their window. */
  late?: number;
  lateByMs?: number;
  /** Fraction stamped far in the future (a wrong time zone), and unreadable stamps. */
  future?: number;
  invalid?: number;
  tenants?: string[];
  services?: string[];
}

const LEVELS: Level[] = ['debug', 'info', 'info', 'info', 'warn', 'error', 'fatal'];
const CODES = ['E504', 'E500', 'E502', 'E401', 'E404', 'E409', 'E429', 'E503'];

/** Events in offset order with random, out-of-order and late event times, from one seed. */
export function randomStream(seed: number, shape: StreamShape): StreamRecord[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)];
  const tenants = shape.tenants ?? ['acme', 'globex'];
  const services = shape.services ?? ['checkout', 'search', 'auth'];
  const meanGap = shape.meanGapMs ?? 700;
  let trueTime = shape.startMs ?? Date.UTC(2026, 10, 23, 12, 0, 0);
  const records: StreamRecord[] = [];
  for (let i = 0; i < shape.count; i++) {
    trueTime += Math.floor(random() * 2 * meanGap);
    let ts = trueTime;
    const roll = random();
    if (roll < (shape.late ?? 0)) ts -= Math.floor(random() * (shape.lateByMs ?? 180_000));
    else if (roll < (shape.late ?? 0) + (shape.outOfOrder ?? 0))
      ts -= Math.floor(random() * (shape.jitterMs ?? 20_000));
    const observed = trueTime + Math.floor(random() * 50);
    let stamp = new Date(ts).toISOString();
    const odd = random();
    if (odd < (shape.future ?? 0)) stamp = new Date(ts + 3_600_000).toISOString();
    else if (odd < (shape.future ?? 0) + (shape.invalid ?? 0)) stamp = 'not a time';
    // A code skewed towards the first entries, so count_by has leaders and a tail.
    const code = CODES[Math.floor(random() ** 2 * CODES.length)];
    // Lognormal-ish latencies spanning four orders of magnitude.
    const latency = Math.round(Math.exp(random() * 4 + random() * 4) * 100) / 100;
    records.push({
      offset: BigInt(i),
      event: {
        id: `e${i}`,
        ts: stamp,
        observed_ts: new Date(observed).toISOString(),
        level: pick(LEVELS),
        service: pick(services),
        tenant: pick(tenants),
        message: 'request handled',
        attrs: { latency_ms: latency, code, ...(random() < 0.1 ? { retry: 'yes' } : {}) },
      },
    });
  }
  return records;
}
