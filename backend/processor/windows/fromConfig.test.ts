import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseConfig } from '../../../core/config/parseConfig.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import { serverConfigSchema } from '../../config/schema.ts';
import { createWindowEngine } from './engine.ts';
import { windowOptionsFromConfig } from './fromConfig.ts';
import { pointKey } from './testing/reference.ts';

/** The example in docs/windows.md, so the documented config is the one that is tested. */
function documentedConfig(): string {
  const doc = readFileSync(new URL('../../../docs/windows.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Configuration'));
  return section.slice(
    section.indexOf('```yaml') + '```yaml'.length,
    section.indexOf('```', section.indexOf('```yaml') + 7),
  );
}

// Stands in for core/query (parse + compileToPredicate) for the two queries of the example.
const QUERIES: Record<string, (event: LogEvent) => boolean> = {
  'level>=error': (event) => event.level === 'error' || event.level === 'fatal',
  'service:checkout': (event) => event.service === 'checkout',
};

describe('windows from sluice.yaml', () => {
  it('builds the engine options of the documented example', () => {
    const config = parseConfig(documentedConfig(), 'sluice.yaml', serverConfigSchema, { env: {} });
    const compiled: string[] = [];
    const options = windowOptionsFromConfig(config.processing, (query) => {
      compiled.push(query);
      return QUERIES[query];
    });
    assert.deepEqual(compiled, ['level>=error', 'service:checkout']);
    assert.equal(options.allowedLatenessMs, 30_000);
    assert.equal(options.builtinWindowMs, 60_000);
    const [codes, p95, rate] = options.aggregates!;
    assert.deepEqual(
      { ...codes, where: typeof codes.where },
      {
        name: 'top_error_codes',
        kind: 'tumbling',
        sizeMs: 60_000,
        hopMs: undefined,
        allowedLatenessMs: 60_000,
        aggregate: 'count_by',
        by: 'error.code',
        where: 'function',
      },
    );
    assert.equal(p95.field, 'duration_ms');
    assert.equal(p95.hopMs, 60_000);
    assert.equal(rate.kind, 'sliding');

    const engine = createWindowEngine({ partition: 2, ...options });
    const at = (ts: string, level: LogEvent['level'], attrs: LogEvent['attrs']): LogEvent => ({
      id: ts,
      ts,
      observed_ts: ts,
      level,
      service: 'checkout',
      tenant: 'acme',
      message: 'm',
      attrs,
    });
    engine.add(at('2026-11-23T10:00:01Z', 'error', { 'error.code': 'E504', duration_ms: 30 }), 0n);
    engine.add(at('2026-11-23T10:00:02Z', 'info', { 'error.code': 'E500', duration_ms: 10 }), 1n);
    engine.add(at('2026-11-23T10:10:00Z', 'info', {}), 2n);
    const points = new Map(engine.drain().map((point) => [pointKey(point), point.value]));
    const labels = 'partition=2,service=checkout,tenant=acme';
    assert.equal(points.get(`top_error_codes{error.code=E504,${labels}}@1795428000000`), 1);
    assert.equal(
      points.has(`top_error_codes{error.code=E500,${labels}}@1795428000000`),
      false,
      'not an error',
    );
    assert.equal(points.get(`checkout_latency_p95{${labels}}@1795428000000`), 30);
  });
});
