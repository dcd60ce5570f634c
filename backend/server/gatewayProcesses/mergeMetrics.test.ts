import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MetricsRegistry } from '../../../core/metrics/registry.ts';
import { mergeMetrics } from './mergeMetrics.ts';

async function processText(requests: number, seconds: number[]): Promise<string> {
  const registry = new MetricsRegistry();
  const counter = registry.counter('sluice_gateway_requests_total', 'Requests.', ['route']);
  const latency = registry.histogram('sluice_gateway_request_seconds', 'Latency.', ['route']);
  counter.inc({ route: '/api/v1/ingest' }, requests);
  for (const s of seconds) latency.observe(s, { route: '/api/v1/ingest' });
  return registry.render();
}

describe('merging the metrics of several gateway processes', () => {
  it('adds up samples of the same series and keeps HELP and TYPE once', async () => {
    const merged = mergeMetrics([await processText(3, [0.5]), await processText(4, [0.5, 2])]);
    const lines = merged.trim().split('\n');
    assert.equal(lines.filter((l) => l === '# TYPE sluice_gateway_requests_total counter').length, 1);
    assert.ok(lines.includes('sluice_gateway_requests_total{route="/api/v1/ingest"} 7'));
    assert.ok(lines.includes('sluice_gateway_request_seconds_count{route="/api/v1/ingest"} 3'));
    assert.ok(lines.includes('sluice_gateway_request_seconds_bucket{route="/api/v1/ingest",le="+Inf"} 3'));
    assert.ok(lines.includes('sluice_gateway_request_seconds_sum{route="/api/v1/ingest"} 3'));
  });

  it('keeps series only one process has, each under its family', async () => {
    const other =
      '# HELP sluice_processor_records_in_total In.\n# TYPE sluice_processor_records_in_total counter\nsluice_processor_records_in_total 5\n';
    const merged = mergeMetrics([await processText(1, []), other, await processText(1, [])]);
    const lines = merged.trim().split('\n');
    assert.ok(lines.includes('sluice_processor_records_in_total 5'));
    assert.ok(lines.includes('sluice_gateway_requests_total{route="/api/v1/ingest"} 2'));
    const type = lines.indexOf('# TYPE sluice_processor_records_in_total counter');
    assert.equal(lines[type + 1], 'sluice_processor_records_in_total 5');
  });
});
