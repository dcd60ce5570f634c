import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UUID_PATTERN, uuidFromName, uuidv7, uuidv7Time } from './uuidv7.ts';

describe('uuidv7', () => {
  it('has the RFC 9562 layout: version 7 and variant 10', () => {
    const id = uuidv7();
    assert.match(id, UUID_PATTERN);
    assert.equal(id[14], '7');
    assert.ok('89ab'.includes(id[19]), id);
  });

  it('encodes the millisecond it was minted in', () => {
    // Later than any id minted so far in this process, so the monotonic counter does not step in.
    const ms = Date.now() + 3_600_000 + 123;
    assert.equal(uuidv7Time(uuidv7(ms)), ms);
  });

  it('sorts in minting order, also within one millisecond and when the clock steps back', () => {
    const base = Date.now() + 7_200_000;
    const ids = [];
    for (let i = 0; i < 5000; i++) ids.push(uuidv7(base));
    ids.push(uuidv7(base - 1000));
    const sorted = [...ids].sort();
    assert.deepEqual(sorted, ids);
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('uuidFromName', () => {
  it('is stable for a name and differs between names', () => {
    assert.equal(uuidFromName('fp:1:offset:42'), uuidFromName('fp:1:offset:42'));
    assert.notEqual(uuidFromName('fp:1:offset:42'), uuidFromName('fp:1:offset:43'));
  });

  it('is a version 8 UUID', () => {
    const id = uuidFromName('x');
    assert.match(id, UUID_PATTERN);
    assert.equal(id[14], '8');
    assert.ok('89ab'.includes(id[19]));
  });
});
