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

  it('gives the ids earlier versions gave, so resends across an upgrade keep their ids', () => {
    // Pinned from the first release (createHash per id); any faster derivation must give the same.
    assert.equal(uuidFromName('x'), '2d711642-b726-8044-8162-7ca9fbac32f5');
    assert.equal(uuidFromName('node-7\u0000fid-1\u00000'), 'a66968cf-ee89-8ba5-87a0-0ee7ac94c749');
    assert.equal(
      uuidFromName('host-\u00e4\u00002049:131:1732000000000:9f2c\u0000123456789'),
      '2f0f1aa7-8909-8ea1-8d73-b1b0d777af44',
    );
  });

  it('is a version 8 UUID', () => {
    const id = uuidFromName('x');
    assert.match(id, UUID_PATTERN);
    assert.equal(id[14], '8');
    assert.ok('89ab'.includes(id[19]));
  });
});
