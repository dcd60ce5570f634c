import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsRegistry } from './registry.ts';

describe('MetricsRegistry', () => {
  it('renders counters with labels in Prometheus text format', async () => {
    const r = new MetricsRegistry();
    const c = r.counter('sluice_records_total', 'Records.', ['outcome']);
    c.inc({ outcome: 'accepted' }, 3);
    c.inc({ outcome: 'rejected' });
    c.inc({ outcome: 'accepted' });
    const text = await r.render();
    assert.match(text, /# TYPE sluice_records_total counter/);
    assert.match(text, /sluice_records_total\{outcome="accepted"\} 4\n/);
    assert.match(text, /sluice_records_total\{outcome="rejected"\} 1\n/);
  });

  it('renders cumulative histogram buckets, sum and count', async () => {
    const r = new MetricsRegistry();
    const h = r.histogram('lat_seconds', 'Latency.', [], [0.1, 1]);
    h.observe(0.05);
    h.observe(0.5);
    h.observe(5);
    const text = await r.render();
    assert.match(text, /lat_seconds_bucket\{le="0.1"\} 1\n/);
    assert.match(text, /lat_seconds_bucket\{le="1"\} 2\n/);
    assert.match(text, /lat_seconds_bucket\{le="\+Inf"\} 3\n/);
    assert.match(text, /lat_seconds_sum 5.55\n/);
    assert.match(text, /lat_seconds_count 3\n/);
  });

  it('escapes label values so hostile input cannot forge series', async () => {
    const r = new MetricsRegistry();
    r.gauge('g', 'G.', ['path']).set(1, { path: 'a"} 99\nevil 1' });
    const text = await r.render();
    assert.match(text, /g\{path="a\\"\} 99\\nevil 1"\} 1\n/);
    assert.equal(text.split('\n').filter((l) => l.startsWith('evil')).length, 0);
  });

  it('runs collectors before rendering and refuses duplicate names', async () => {
    const r = new MetricsRegistry();
    const g = r.gauge('lag', 'Lag.');
    r.onCollect(() => g.set(42));
    assert.match(await r.render(), /^lag 42$/m);
    assert.throws(() => r.counter('lag', 'again'), /registered twice/);
  });
});
