import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeRecord } from './normalize.ts';
import { EVENT_HEADERS, readEvent } from './wireFormat.ts';

const encoder = new TextEncoder();
const event = (() => {
  const r = normalizeRecord(
    { msg: 'hello', service: 'web' },
    { tenant: 'acme', observedMs: Date.UTC(2026, 11, 7) },
  );
  assert.ok(r.ok);
  return r.event;
})();
const bytes = (value: unknown) => encoder.encode(JSON.stringify(value));

describe('readEvent', () => {
  it('reads an event Sluice wrote (schema header) without validating its fields again', () => {
    const long = { ...event, host: 'h'.repeat(300) }; // over eventSchema's 256: refused when checked
    const read = readEvent(bytes(long), EVENT_HEADERS);
    assert.ok(read.ok);
    assert.equal(read.event.host, long.host);
  });

  it('validates in full a record without the header, or with another version', () => {
    const long = { ...event, host: 'h'.repeat(300) };
    for (const headers of [undefined, { 'sluice-schema': 'event/0' }]) {
      const read = readEvent(bytes(long), headers);
      assert.equal(read.ok, false);
      assert.ok(!read.ok && read.stage === 'validate' && read.reason.startsWith('host: '));
    }
    assert.ok(readEvent(bytes(event), undefined).ok, 'a valid header-less event passes');
  });

  it('validates in full a record whose header is there but whose shape is not an event', () => {
    for (const broken of [
      { ...event, attrs: null },
      { ...event, level: 'loud' },
      { ...event, ts: 5 },
      [1],
      null,
    ]) {
      const read = readEvent(bytes(broken), EVENT_HEADERS);
      assert.ok(!read.ok && read.stage === 'validate', JSON.stringify(broken));
    }
  });

  it('says "decode" for a value that is not JSON', () => {
    const read = readEvent(encoder.encode('{nope'), EVENT_HEADERS);
    assert.ok(!read.ok && read.stage === 'decode' && read.reason.startsWith('not JSON'));
  });
});
