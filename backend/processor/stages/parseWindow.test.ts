import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ORIGINAL_TS_ATTR } from '../../../core/event/normalize.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import { parseStage } from './parse.ts';

const observed = '2026-11-23T12:00:00.000Z';
const event = (message: string): LogEvent => ({
  id: 'e1',
  ts: observed,
  observed_ts: observed,
  level: 'info',
  service: 'api',
  tenant: 'acme',
  message,
  attrs: {},
});

describe('parse stage: a time read from the line', () => {
  const stage = parseStage([{ service: '*', format: 'json' }], {
    backMs: 7 * 86_400_000,
    aheadMs: 3_600_000,
  });

  it('is taken inside the window around the observed time', () => {
    const [out] = stage([event('{"ts":"2026-11-23T11:00:00Z","msg":"ok"}')]) as LogEvent[];
    assert.equal(out.ts, '2026-11-23T11:00:00.000Z');
  });

  it('is kept as an attribute, not as the event time, outside it (no search day per far-off date)', () => {
    for (const ts of ['9999-12-31T00:00:00Z', '0001-01-01T00:00:00Z', '2200-01-01T00:00:00Z']) {
      const [out] = stage([event(`{"ts":"${ts}","msg":"far"}`)]) as LogEvent[];
      assert.equal(out.ts, observed, ts);
      assert.equal(out.attrs[ORIGINAL_TS_ATTR], ts.replace('Z', '.000Z'));
    }
  });
});
