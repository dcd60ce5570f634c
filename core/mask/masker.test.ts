import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../event/types.ts';
import { MaskConfigError } from './maskConfigError.ts';
import { createMasker } from './masker.ts';

function event(message: string, attrs: LogEvent['attrs'] = {}): LogEvent {
  return {
    id: '0193f2c4-7b1e-7cc2-9a43-5d2e8f1a6b90',
    ts: '2026-11-23T12:00:00.123Z',
    observed_ts: '2026-11-23T12:00:00.130Z',
    level: 'info',
    service: 'checkout',
    tenant: 'acme',
    correlation_id: '0193f2c4-7b1e-7cc2-9a43-5d2e8f1a6b90',
    message,
    attrs,
  };
}

describe('maskEvent', () => {
  it('returns the very same event when nothing is sensitive', () => {
    const masker = createMasker();
    const clean = event('checkout started pid=4242', {
      'http.status': 200,
      'order.id': 'A-1001',
      ok: true,
      none: null,
    });
    assert.equal(masker.maskEvent(clean), clean);
  });

  it('masks the message and returns a copy, leaving the original untouched', () => {
    const masker = createMasker();
    const original = event('login password=hunter2', { user: 'bob' });
    const masked = masker.maskEvent(original);
    assert.notEqual(masked, original);
    assert.equal(masked.message, 'login password=[MASKED:password]');
    assert.equal(original.message, 'login password=hunter2');
    assert.equal(masked.attrs, original.attrs);
    assert.equal(masked.correlation_id, original.correlation_id);
  });

  it('masks attrs whose dotted key has a sensitive segment, at any depth', () => {
    const masker = createMasker();
    const original = event('ok', {
      'db.password': 'pw',
      'http.request.headers.Authorization': 'Bearer abc',
      'credentials.user': 'bob',
      'oauth.refresh_token': 'r1',
      'user.pin': 1234,
      'password_policy.min_length': 12,
      'auth.enabled': true,
      'session.cookie': '',
    });
    const attrs = masker.maskEvent(original).attrs;
    assert.deepEqual(attrs, {
      'db.password': '[MASKED:password]',
      'http.request.headers.Authorization': '[MASKED:token]',
      'credentials.user': '[MASKED:secret]',
      'oauth.refresh_token': '[MASKED:token]',
      'user.pin': 1234,
      'password_policy.min_length': 12,
      'auth.enabled': true,
      'session.cookie': '',
    });
    assert.equal(original.attrs['db.password'], 'pw');
  });

  it('scans string attrs with the detectors and checks whole numbers for card numbers', () => {
    const masker = createMasker();
    const attrs = masker.maskEvent(
      event('ok', {
        note: 'mail jane@example.com',
        body: '{"token":"t1"}',
        pan: 4111111111111111,
        qty: 3,
        ts: 1732363200004,
      }),
    ).attrs;
    assert.deepEqual(attrs, {
      note: 'mail [MASKED:email]',
      body: '{"token":"[MASKED:token]"}',
      pan: '[MASKED:credit_card]',
      qty: 3,
      ts: 1732363200004,
    });
  });

  it('leaves already masked values as they are', () => {
    const masker = createMasker();
    const once = masker.maskEvent(event('password=x', { password: 'y' }));
    assert.equal(masker.maskEvent(once), once);
  });
});

describe('stats', () => {
  it('counts masked values by detector and rule name', () => {
    const masker = createMasker({ rules: [{ name: 'ssn', pattern: '\\b\\d{3}-\\d{2}-\\d{4}\\b' }] });
    masker.maskText('password=a token=b ssn 123-45-6789 and 987-65-4321');
    masker.maskEvent(event('ok', { api_key: 'k' }));
    const { masked } = masker.stats();
    assert.equal(masked.password, 1);
    assert.equal(masked.token, 1);
    assert.equal(masked.secret, 1);
    assert.equal(masked.ssn, 2);
    assert.equal(masked.email, 0);
  });
});

describe('choosing detectors', () => {
  it('runs only the built-in detectors listed', () => {
    const masker = createMasker({ builtin: ['email'] });
    assert.equal(
      masker.maskText('password=a 4111111111111111 a@b.io'),
      'password=a 4111111111111111 [MASKED:email]',
    );
  });

  it('runs none with an empty list', () => {
    const masker = createMasker({ builtin: [] });
    const line = 'password=a AKIAIOSFODNN7EXAMPLE https://u:p@h a@b.io';
    assert.equal(masker.maskText(line), line);
  });

  it('refuses an unknown detector name', () => {
    assert.throws(
      () => createMasker({ builtin: ['passwords'] }),
      (error: unknown) => {
        return (
          error instanceof MaskConfigError &&
          error.code === 'mask_builtin_unknown' &&
          /passwords/.test(error.message)
        );
      },
    );
  });
});

describe('config keys', () => {
  it('adds sensitive key names, in any spelling, as whole words', () => {
    const masker = createMasker({ keys: ['ssn', 'Member-Number'] });
    assert.equal(
      masker.maskText('ssn=1 user_ssn=2 memberNumber=3 lessn=4'),
      'ssn=[MASKED:secret] user_ssn=[MASKED:secret] memberNumber=[MASKED:secret] lessn=4',
    );
    assert.equal(
      masker.maskEvent(event('ok', { 'person.ssn': '123' })).attrs['person.ssn'],
      '[MASKED:secret]',
    );
  });

  it('keeps masking configured keys when their built-in detector is off', () => {
    const masker = createMasker({ builtin: [], keys: ['password'] });
    assert.equal(masker.maskText('password=x token=y'), 'password=[MASKED:password] token=y');
  });
});

describe('user rules', () => {
  it('replaces every match with the rule marker or its replacement', () => {
    const masker = createMasker({
      rules: [
        { name: 'ssn', pattern: '\\b\\d{3}-\\d{2}-\\d{4}\\b' },
        { name: 'iban', pattern: '\\bDE\\d{20}\\b', replacement: 'DE**' },
      ],
    });
    assert.equal(
      masker.maskText('ssn 123-45-6789, iban DE89370400440532013000, order 123-456'),
      'ssn [MASKED:ssn], iban DE**, order 123-456',
    );
  });

  it('run after the built-in detectors and keep JSON valid', () => {
    const masker = createMasker({ rules: [{ name: 'ssn', pattern: '\\d{3}-\\d{2}-\\d{4}' }] });
    const out = masker.maskText('{"ssn":"123-45-6789","password":"x"}');
    assert.deepEqual(JSON.parse(out), { ssn: '[MASKED:ssn]', password: '[MASKED:password]' });
  });

  it('refuses patterns that do not compile, match the empty string, or unsafe replacements', () => {
    const bad = [
      { name: 'x', pattern: '(' },
      { name: 'x', pattern: 'a*' },
      { name: 'x', pattern: 'a', replacement: 'say "no"' },
      { name: 'Bad Name', pattern: 'a' },
    ];
    for (const rule of bad) {
      assert.throws(
        () => createMasker({ rules: [rule] }),
        (error: unknown) => {
          return error instanceof MaskConfigError && error.code === 'mask_rule_invalid';
        },
      );
    }
  });
});
