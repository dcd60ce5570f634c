import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../event/types.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import { evaluate } from './evaluate.ts';
import { parseQuery } from './parser.ts';
import { compileToPredicate } from './predicate.ts';
import { RANDOM_NOW_MS, randomEvent, randomQuery } from './random.ts';

describe('compileToPredicate', () => {
  it('agrees with evaluate on random queries and events', () => {
    const rng = mulberry32(7);
    const events = Array.from({ length: 200 }, (_, i) => randomEvent(rng, i));
    let matched = 0;
    for (let q = 0; q < 400; q++) {
      const { ast, text } = randomQuery(rng, 3);
      const predicate = compileToPredicate(ast);
      for (const event of events) {
        const expected = evaluate(ast, event);
        assert.equal(predicate(event), expected, `${text} on ${JSON.stringify(event)}`);
        if (expected) matched++;
      }
    }
    // The generators are meant to make matches common; a vocabulary drift that made them rare
    // would leave this property test checking little.
    assert.ok(matched > 400 * 200 * 0.1, `only ${matched} matches`);
  });

  it('agrees with evaluate on text terms over tricky messages', () => {
    const messages = [
      'ΟΔΟΣ οδος',
      'İstanbul',
      'a\u0301b ab',
      '🤔ok ok🤔',
      'x_y-z',
      '3.14.15',
      'ＡＢＣ',
      '',
      'ǅemal',
    ];
    const queries = [
      'οδοσ',
      'οδος',
      'istanbul',
      'i*',
      'ab',
      'a-b',
      'ok',
      '"ok ok"',
      'x-y*',
      '3-14',
      'ａｂｃ',
      'ǆ*',
      'b',
    ];
    for (const message of messages) {
      const event: LogEvent = {
        id: '1',
        ts: '2026-11-23T12:00:00Z',
        observed_ts: '2026-11-23T12:00:00Z',
        level: 'info',
        service: 's',
        tenant: 't',
        message,
        attrs: {},
      };
      for (const q of queries) {
        const ast = parseQuery(q, { nowMs: RANDOM_NOW_MS });
        assert.equal(compileToPredicate(ast)(event), evaluate(ast, event), `${q} on ${message}`);
      }
    }
  });

  it('computes per-event state afresh for every event', () => {
    const predicate = compileToPredicate(parseQuery('timeout ts>=2026-11-23T12:00:00Z'));
    const event = (message: string, ts: string): LogEvent => ({
      id: '1',
      ts,
      observed_ts: ts,
      level: 'info',
      service: 's',
      tenant: 't',
      message,
      attrs: {},
    });
    assert.equal(predicate(event('timeout', '2026-11-23T12:00:00Z')), true);
    assert.equal(predicate(event('ok', '2026-11-23T12:00:00Z')), false);
    assert.equal(predicate(event('timeout', '2026-11-23T11:00:00Z')), false);
  });
});
