/**
 * Masking throughput on one core: lines per second for clean lines, a mix with 5% secrets, lines that
 * all carry a secret, and whole events (message + attrs). Not a test: `node test/bench/mask.bench.ts`.
 * Rates are per second of this process's CPU time, median of 3 runs (wall-clock rate in brackets): on
 * a machine shared with other work, CPU time is what says how fast the code is.
 */
import type { LogEvent } from '../../core/event/types.ts';
import { createMasker, type Masker } from '../../core/mask/index.ts';

const CLEAN = [
  '2026-11-23T12:00:00.123Z INFO checkout request handled method=GET path=/api/v1/orders/A-1001 status=200 duration_ms=12.5 correlation_id=0193f2c4-7b1e-7cc2-9a43-5d2e8f1a6b90 host=node-7',
  '{"ts":"2026-11-23T12:00:00.123Z","level":"info","msg":"payment authorized","order_id":"A-1001","amount":42.5,"currency":"EUR","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"}',
  '192.168.1.20 - - [23/Nov/2026:12:00:00 +0000] "GET /api/v1/catalog?page=2&size=50 HTTP/1.1" 200 5123 "https://shop.example.com/" "Mozilla/5.0 (X11; Linux x86_64)"',
  'level=warn ts=2026-11-23T12:00:01.456Z service=inventory msg="stock below threshold" sku=SKU-88231 warehouse=7 remaining=3 threshold=10 span_id=00f067aa0ba902b7',
  'Nov 23 12:00:02 node-7 sshd[4242]: Accepted publickey for deploy from 10.0.0.5 port 51234 ssh2: ED25519 SHA256:3Ylw1N0Lw2hQ8iW0pZs3o9+Lk5bTQm2e4aYv7cNfXyQ',
];

const SECRET = [
  'user login ok user=alice password=hunter2secret attempt=1 ip=10.0.0.5 ts=2026-11-23T12:00:00.123Z correlation_id=0193f2c4-7b1e-7cc2-9a43-5d2e8f1a6b90',
  '{"level":"info","msg":"oauth","data":{"access_token":"ya29.a0AfH6SMBx-secret","expires_in":3599},"ts":"2026-11-23T12:00:00.123Z","service":"auth"}',
  'upstream call Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789 status=401 duration_ms=12 path=/api/v1/orders host=node-7',
  'charge card 4111 1111 1111 1111 amount=19.99 currency=EUR for jane.doe@example.com order=A-1001 ts=2026-11-23T12:00:00.123Z',
  'connecting to postgres://app:dbpassXYZ@db.internal:5432/orders with token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
];

const LINES = 10_000;

function makeLines(secretEvery: number): string[] {
  const lines: string[] = [];
  for (let k = 0; k < LINES; k++) {
    const pick = secretEvery > 0 && k % secretEvery === 0 ? SECRET : CLEAN;
    // Through a Buffer, as lines read from a file are: flat strings, not concatenation ropes.
    lines.push(Buffer.from(`${pick[k % pick.length]} region=eu-west-1 build=2026.11.3 seq=${k}`).toString());
  }
  return lines;
}

function makeEvents(lines: string[]): LogEvent[] {
  return lines.map((message, k) => ({
    id: `id-${k}`,
    ts: '2026-11-23T12:00:00.123Z',
    observed_ts: '2026-11-23T12:00:00.130Z',
    level: 'info',
    service: 'checkout',
    tenant: 'acme',
    message,
    attrs: {
      'http.method': 'GET',
      'http.status': 200,
      'http.path': '/api/v1/orders',
      'user.id': `u-${k}`,
      ok: true,
    },
  }));
}

let sink = 0;

function rate(run: () => void, count: number): { cpu: number; wall: number } {
  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  let done = 0;
  while (performance.now() - started < 1000) {
    run();
    done += count;
  }
  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStarted);
  return { cpu: done / ((cpu.user + cpu.system) / 1e6), wall: done / wall };
}

function report(name: string, unit: string, run: () => void, count: number): void {
  const runs = [rate(run, count), rate(run, count), rate(run, count)].sort((a, b) => a.cpu - b.cpu);
  const median = runs[1];
  const fmt = (n: number) => Math.round(n).toLocaleString('en');
  console.log(`${name.padEnd(12)} ${fmt(median.cpu).padStart(10)} ${unit}/s CPU  (${fmt(median.wall)} wall)`);
}

const masker: Masker = createMasker();
const sets = { clean: makeLines(0), mixed: makeLines(20), secret: makeLines(1) };
const events = makeEvents(sets.mixed);
const maskAll = (lines: string[]) => () => {
  for (const line of lines) sink += masker.maskText(line).length;
};
const maskEvents = () => {
  for (const event of events) sink += masker.maskEvent(event).message.length;
};
// Warm every path first, so no measurement pays for compiling another's.
for (let round = 0; round < 5; round++) {
  for (const lines of Object.values(sets)) maskAll(lines)();
  maskEvents();
}
const bytes = sets.clean.reduce((sum, line) => sum + line.length, 0) / LINES;
console.log(`lines of ~${bytes.toFixed(0)} bytes, ${LINES} distinct lines per set`);
report('clean', 'lines', maskAll(sets.clean), LINES);
report('mixed 5%', 'lines', maskAll(sets.mixed), LINES);
report('all secret', 'lines', maskAll(sets.secret), LINES);
report('events 5%', 'events', maskEvents, LINES);
const withRule = createMasker({ rules: [{ name: 'ssn', pattern: '\\b\\d{3}-\\d{2}-\\d{4}\\b' }] });
report(
  'mixed + rule',
  'lines',
  () => {
    for (const line of sets.mixed) sink += withRule.maskText(line).length;
  },
  LINES,
);
if (sink === 0) console.log('(nothing masked?)');
