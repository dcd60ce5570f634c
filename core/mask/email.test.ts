import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createMasker } from './masker.ts';

const masker = createMasker();
const mask = (text: string) => masker.maskText(text);

describe('e-mail addresses', () => {
  it('masks whole addresses', () => {
    assert.equal(mask('sent to jane.doe+test@example.co.uk.'), 'sent to [MASKED:email].');
    assert.equal(mask('{"to":"Bob_O\'Neil@mail.example.com"}'), '{"to":"[MASKED:email]"}');
    assert.equal(mask('user=a.b@c.io,x'), 'user=[MASKED:email],x');
  });

  it('leaves @ that is no address alone', () => {
    for (const line of [
      '@mention',
      'a @ b',
      'user@localhost',
      'pkg@1.2.3',
      'x@y.1',
      'npm i @scope/pkg@latest',
    ]) {
      assert.equal(mask(line), line);
    }
  });
});
