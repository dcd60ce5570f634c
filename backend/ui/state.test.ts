import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

// The browser module under test: plain JavaScript, loaded by URL so TypeScript treats it as untyped.
const state = await import(new URL('./public/state.js', import.meta.url).href);
const DEFAULTS = { cols: ['level', 'service', 'correlation_id', 'message'], order: 'desc', stack: 'level' };

describe('UI state in the URL hash', () => {
  it('round-trips a search, leaving defaults out of the link', () => {
    const s = {
      view: 'search',
      q: 'level>=warn "gateway timeout" & #x',
      from: 'now-2h',
      to: '2026-11-23T12:00:00Z',
      ...DEFAULTS,
    };
    const hash = state.encodeHash(s);
    assert.deepEqual(state.decodeHash(hash), s);
    assert.equal(state.encodeHash({ view: 'search', q: '', from: 'now-15m', to: 'now' }), '#');
    assert.deepEqual(state.decodeHash(''), {
      view: 'search',
      q: '',
      from: 'now-15m',
      to: 'now',
      ...DEFAULTS,
    });
  });

  it('round-trips a trace, with or without a range', () => {
    const t = {
      view: 'trace',
      id: 'req-1:a.b',
      q: '',
      from: '2026-11-23T11:00:00.000Z',
      to: '2026-11-23T13:00:00.000Z',
    };
    assert.deepEqual(state.decodeHash(state.encodeHash(t)), t);
    assert.deepEqual(state.decodeHash('#view=trace&id=x'), {
      view: 'trace',
      id: 'x',
      q: '',
      from: '',
      to: '',
    });
  });

  it('falls back to search for a trace link without an ID', () => {
    assert.equal(state.decodeHash('#view=trace').view, 'search');
  });

  it('names the preset a range is, or custom', () => {
    assert.equal(state.presetOf('now-1h', 'now'), '1h');
    assert.equal(state.presetOf('now-7d', 'now'), '7d');
    assert.equal(state.presetOf('now-2h', 'now'), 'custom');
    assert.equal(state.presetOf('now-1h', 'now-5m'), 'custom');
  });

  it('looks for a trace an hour either side of the event it was opened from', () => {
    assert.deepEqual(state.traceRangeAround('2026-11-23T12:00:00.123456Z'), {
      from: '2026-11-23T11:00:00.123Z',
      to: '2026-11-23T13:00:00.123Z',
    });
    assert.deepEqual(state.traceRangeAround('garbage'), { from: '', to: '' });
  });
});

describe('UI state: columns, order, stacking and the alerts view', () => {
  it('round-trips columns, order and stacking, leaving the defaults out', () => {
    const s = {
      view: 'search',
      q: 'x',
      from: 'now-15m',
      to: 'now',
      cols: ['level', 'host', 'http.status', 'message'],
      order: 'asc',
      stack: 'service',
    };
    const hash = state.encodeHash(s);
    assert.equal(hash, '#q=x&cols=level,host,http.status,message&order=asc&stack=service');
    assert.deepEqual(state.decodeHash(hash), s);
    const defaults = { ...s, cols: [...state.DEFAULT_COLUMNS], order: 'desc', stack: 'level' };
    assert.equal(state.encodeHash(defaults), '#q=x');
  });

  it('drops column names the query language cannot express, and ts (always first)', () => {
    assert.deepEqual(state.decodeHash('#cols=level,ts,a%20b,host').cols, ['level', 'host']);
    assert.deepEqual(state.decodeHash('#cols=,').cols, state.DEFAULT_COLUMNS);
    assert.equal(state.decodeHash('#order=sideways').order, 'desc');
  });

  it('has an alerts view', () => {
    assert.deepEqual(state.decodeHash('#view=alerts'), { view: 'alerts' });
    assert.equal(state.encodeHash({ view: 'alerts' }), '#view=alerts');
  });

  it('resolves from/to as the server does', () => {
    const now = Date.UTC(2026, 10, 23, 12);
    assert.equal(state.resolveTime('now', now), now);
    assert.equal(state.resolveTime('now-15m', now), now - 900_000);
    assert.equal(state.resolveTime('now+1h', now), now + 3_600_000);
    assert.equal(state.resolveTime('2026-11-23T11:00:00Z', now), now - 3_600_000);
    assert.equal(state.resolveTime('2026-11-23T11:00:00', now), now - 3_600_000);
    assert.equal(state.resolveTime('2026-11-23T12:00:00+01:00', now), now - 3_600_000);
    assert.equal(state.resolveTime('2026-11-23', now), now - 12 * 3_600_000);
    assert.equal(state.resolveTime(String(now), now), now);
    assert.ok(Number.isNaN(state.resolveTime('yesterday', now)));
  });
});
