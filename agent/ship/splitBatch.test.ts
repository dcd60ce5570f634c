import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitNdjson } from './splitBatch.ts';

describe('splitNdjson', () => {
  it('cuts between events, half of them on each side', () => {
    const body = Buffer.from('{"a":1}\n{"a":2}\n{"a":3}\n{"a":4}\n{"a":5}\n');
    const halves = splitNdjson(body, 5);
    assert.ok(halves !== undefined);
    assert.equal(halves[0].toString(), '{"a":1}\n{"a":2}\n');
    assert.equal(halves[1].toString(), '{"a":3}\n{"a":4}\n{"a":5}\n');
  });

  it('cannot split a single event', () => {
    assert.equal(splitNdjson(Buffer.from('{"a":1}\n'), 1), undefined);
  });
});
