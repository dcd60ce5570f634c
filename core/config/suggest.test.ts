import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestKey, editDistance } from './suggest.ts';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and swaps of neighbours as one edit each', () => {
    assert.equal(editDistance('max_evnts', 'max_events'), 1);
    assert.equal(editDistance('max_evetns', 'max_events'), 1);
    assert.equal(editDistance('listen', 'lsten'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
  });
});

describe('closestKey', () => {
  const keys = ['max_events', 'max_bytes', 'max_wait'];

  it('suggests the nearest key for a likely typo', () => {
    assert.equal(closestKey('max_evnts', keys), 'max_events');
    assert.equal(closestKey('max_wiat', keys), 'max_wait');
  });

  it('ignores case, dashes and underscores, so other naming styles find the key', () => {
    assert.equal(closestKey('maxEvents', keys), 'max_events');
    assert.equal(closestKey('max-bytes', keys), 'max_bytes');
  });

  it('suggests nothing when no key is close', () => {
    assert.equal(closestKey('compression', keys), undefined);
    assert.equal(closestKey('x', keys), undefined);
  });
});
