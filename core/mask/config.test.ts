import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { maskConfigSchema } from './config.ts';
import { createMasker } from './masker.ts';

describe('maskConfigSchema', () => {
  it('accepts the documented shape, and its output configures a masker', () => {
    const config = v.parse(maskConfigSchema, {
      builtin: ['password', 'token', 'jwt', 'aws_key', 'private_key', 'credit_card', 'email'],
      keys: ['password', 'passwd', 'secret', 'token', 'api_key', 'authorization'],
      rules: [{ name: 'ssn', pattern: '\\b\\d{3}-\\d{2}-\\d{4}\\b' }],
    });
    assert.equal(createMasker(config).maskText('ssn 123-45-6789'), 'ssn [MASKED:ssn]');
  });

  it('accepts an empty section (every built-in detector)', () => {
    assert.deepEqual(v.parse(maskConfigSchema, {}), {});
  });

  it('refuses unknown detector names, naming the valid ones', () => {
    const result = v.safeParse(maskConfigSchema, { builtin: ['passwrd'] });
    assert.equal(result.success, false);
    assert.match(result.issues?.[0].message ?? '', /password, secret, token/);
  });

  it('refuses patterns that do not compile, with the reason', () => {
    const result = v.safeParse(maskConfigSchema, { rules: [{ name: 'x', pattern: '([a-z]' }] });
    assert.equal(result.success, false);
    assert.match(result.issues?.[0].message ?? '', /does not compile/);
  });

  it('refuses unknown keys, duplicate rule names and unsafe replacements', () => {
    const bad = [
      { builtins: ['email'] },
      { rules: [{ name: 'x', pattern: 'a', flags: 'i' }] },
      {
        rules: [
          { name: 'x', pattern: 'a' },
          { name: 'x', pattern: 'b' },
        ],
      },
      { rules: [{ name: 'x', pattern: 'a', replacement: 'back\\slash' }] },
      { keys: ['bad key!'] },
    ];
    for (const config of bad)
      assert.equal(v.safeParse(maskConfigSchema, config).success, false, JSON.stringify(config));
  });
});
