import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMasker } from '../../core/mask/index.ts';
import { MetricsRegistry } from '../../core/metrics/registry.ts';
import type { LineRecord } from '../inputs/lineRecord.ts';
import { createAgentMetrics } from './agentMetrics.ts';

const line = (offset: number, next: number, extra: Partial<LineRecord> = {}): LineRecord => ({
  source: '/var/log/a.log',
  fileId: 'f',
  offset,
  next,
  text: 'x',
  truncated: undefined,
  partial: false,
  bytes: undefined,
  start: 0,
  end: 0,
  ...extra,
});

describe("the agent's own metrics", () => {
  it('counts lines and bytes per input, and follows the edge and masker totals at each scrape', async () => {
    const registry = new MetricsRegistry();
    const metrics = createAgentMetrics(registry, '9.9.9');
    const input = metrics.forInput({ input: '0', service: 'checkout' });
    let stats = { events: 2, parseErrors: 1, skipped: 0 };
    input.watch(
      () => stats,
      () => 1,
    );
    const masker = createMasker();
    metrics.watchMasker(masker);
    input.countLines([
      line(0, 10),
      line(10, 30, { truncated: { originalBytes: 99 } }),
      line(30, 31, { partial: true }),
    ]);
    masker.maskText('password=hunter2');

    const first = await registry.render();
    assert.match(first, /^sluice_agent_build_info\{version="9\.9\.9"\} 1$/m);
    assert.match(first, /^sluice_agent_lines_total\{input="0",service="checkout"\} 3$/m);
    assert.match(first, /^sluice_agent_read_bytes_total\{input="0",service="checkout"\} 31$/m);
    assert.match(first, /^sluice_agent_truncated_lines_total\{input="0",service="checkout"\} 1$/m);
    assert.match(first, /^sluice_agent_partial_lines_total\{input="0",service="checkout"\} 1$/m);
    assert.match(first, /^sluice_agent_events_total\{input="0",service="checkout"\} 2$/m);
    assert.match(
      first,
      /^sluice_agent_skipped_lines_total\{input="0",service="checkout"\} 0$/m,
      'present at 0',
    );
    assert.match(first, /^sluice_agent_multiline_held_events\{input="0",service="checkout"\} 1$/m);
    assert.match(first, /^sluice_agent_masked_total\{detector="password"\} 1$/m);
    assert.match(first, /^sluice_agent_masked_total\{detector="email"\} 0$/m);

    stats = { events: 5, parseErrors: 1, skipped: 0 };
    masker.maskText('token=abc password=x');
    const second = await registry.render();
    assert.match(
      second,
      /^sluice_agent_events_total\{input="0",service="checkout"\} 5$/m,
      'not 7: totals, not sums',
    );
    assert.match(second, /^sluice_agent_masked_total\{detector="password"\} 2$/m);
    assert.match(second, /^sluice_agent_masked_total\{detector="token"\} 1$/m);
  });
});
