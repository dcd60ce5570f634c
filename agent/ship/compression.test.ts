import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compress,
  decompress,
  type Encoding,
  fallbackEncoding,
  resolveEncoding,
  zstdAvailable,
} from './compression.ts';

describe('compression', () => {
  const raw = Buffer.from('{"message":"hello"}\n'.repeat(500));

  for (const encoding of ['zstd', 'gzip', 'identity'] as Encoding[]) {
    it(`round-trips ${encoding}`, async () => {
      const body = await compress(raw, encoding);
      if (encoding !== 'identity') assert.ok(body.length < raw.length / 5, `${encoding} did not compress`);
      assert.deepEqual(await decompress(body, encoding), raw);
    });
  }

  it('uses zstd where the runtime has it and gzip otherwise', () => {
    assert.equal(resolveEncoding('zstd'), zstdAvailable() ? 'zstd' : 'gzip');
    assert.equal(resolveEncoding('none'), 'identity');
  });

  it('falls back from zstd to gzip to none', () => {
    assert.equal(fallbackEncoding('zstd'), 'gzip');
    assert.equal(fallbackEncoding('gzip'), 'identity');
    assert.equal(fallbackEncoding('identity'), undefined);
  });
});
