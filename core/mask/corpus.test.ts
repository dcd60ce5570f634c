import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { createMasker } from './masker.ts';

interface MaskingCase {
  name: string;
  input: string;
  secrets: string[];
  keep: string[];
}

const corpus: MaskingCase[] = readFileSync(
  new URL('../../test/fixtures/masking/cases.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

describe('masking corpus (test/fixtures/masking/cases.jsonl)', () => {
  const masker = createMasker();

  it('has cases to run', () => {
    assert.ok(corpus.length >= 30);
  });

  for (const c of corpus) {
    it(`${c.name}: no secret survives, every keep survives`, () => {
      const out = masker.maskText(c.input);
      for (const secret of c.secrets) assert.ok(!out.includes(secret), `secret ${secret} survived in ${out}`);
      for (const keep of c.keep) assert.ok(out.includes(keep), `${keep} was lost in ${out}`);
      if (c.secrets.length === 0) assert.equal(out, c.input);
    });

    it(`${c.name}: masking the event's message does the same and masking twice changes nothing`, () => {
      const event = {
        id: '1',
        ts: '2026-11-23T12:00:00.123Z',
        observed_ts: '2026-11-23T12:00:00.123Z',
        level: 'info' as const,
        service: 'svc',
        tenant: 't',
        message: c.input,
        attrs: {},
      };
      const masked = masker.maskEvent(event);
      assert.equal(masked.message, masker.maskText(c.input));
      assert.equal(masker.maskText(masked.message), masked.message);
    });
  }
});
