/**
 * Throughput of the window engine on one core: `node test/bench/windows.bench.ts [events]`.
 * Events are generated up front (timestamps as normalized ISO strings, 10% out of order, 1% late), so
 * the timed loop is add() plus a drain() every 500 events, as the processor does per batch.
 */
import { createWindowEngine } from '../../backend/processor/windows/engine.ts';
import { randomStream } from '../../backend/processor/windows/testing/randomStream.ts';
import type { AggregateSpec } from '../../backend/processor/windows/types.ts';

const count = Number(process.argv[2] ?? 1_000_000);
const records = randomStream(1, {
  count,
  meanGapMs: 5,
  outOfOrder: 0.1,
  jitterMs: 10_000,
  late: 0.01,
  lateByMs: 120_000,
  tenants: ['acme', 'globex', 'initech'],
  services: ['checkout', 'search', 'auth', 'cart', 'email'],
});

const CONFIGURED: AggregateSpec[] = [
  { name: 'top_codes', kind: 'tumbling', sizeMs: 60_000, aggregate: 'count_by', by: 'code', top: 5 },
  { name: 'latency_p95', kind: 'tumbling', sizeMs: 60_000, aggregate: 'p95', field: 'latency_ms' },
  {
    name: 'latency_avg_5m',
    kind: 'hopping',
    sizeMs: 300_000,
    hopMs: 60_000,
    aggregate: 'avg',
    field: 'latency_ms',
  },
];

function run(label: string, aggregates: AggregateSpec[]): void {
  const rates: number[] = [];
  for (let round = 0; round < 5; round++) {
    const engine = createWindowEngine({ partition: 0, allowedLatenessMs: 30_000, aggregates });
    let points = 0;
    const started = performance.now();
    for (let i = 0; i < records.length; i++) {
      engine.add(records[i].event, records[i].offset);
      if (i % 500 === 499) points += engine.drain().length;
    }
    points += engine.drain().length;
    const seconds = (performance.now() - started) / 1000;
    rates.push(records.length / seconds);
    if (round === 4) console.log(`${label}: ${points} points, late ${engine.stats().lateEvents}`);
  }
  rates.sort((a, b) => a - b);
  console.log(
    `${label}: median ${Math.round(rates[2]).toLocaleString('en')} events/s (best ${Math.round(rates[4]).toLocaleString('en')})`,
  );
}

run('built-in metrics only', []);
run('built-ins + count_by, p95, hopping avg', CONFIGURED);
