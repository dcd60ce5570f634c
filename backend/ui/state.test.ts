import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

// The browser module under test: plain JavaScript, loaded by URL so TypeScript treats it as untyped.
const state = await import(new URL('./public/state.js', import.meta.url).href);

describe('UI state in the URL hash', () => {
  it('round-trips a search, leaving defaults out of the link', () => {
    const s = {
      view: 'search',
      q: 'level>=warn "gateway timeout" & #x',
      from: 'now-2h',
      to: '2026-11-23T12:00:00Z',
    };
    const hash = state.encodeHash(s);
    assert.deepEqual(state.decodeHash(hash), s);
    assert.equal(state.encodeHash({ view: 'search', q: '', from: 'now-15m', to: 'now' }), '#');
    assert.deepEqual(state.decodeHash(''), { view: 'search', q: '', from: 'now-15m', to: 'now' });
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
