import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createKeyRing, presentedKey, sha256Hex } from './apiKeys.ts';

const ring = createKeyRing([
  { name: 'shipper', key_sha256: sha256Hex('k-ingest'), tenant: 'acme', roles: ['ingest'] },
  {
    name: 'reader',
    key_sha256: sha256Hex('k-read').toUpperCase(),
    tenant: 'acme',
    roles: ['read'],
    services: ['web'],
  },
]);

describe('key ring', () => {
  it('finds the principal of a configured key by its SHA-256', () => {
    const p = ring.authenticate('k-ingest');
    assert.equal(p?.name, 'shipper');
    assert.equal(p?.tenant, 'acme');
    assert.deepEqual([...(p?.roles ?? [])], ['ingest']);
    assert.deepEqual(ring.authenticate('k-read')?.services, ['web']);
  });

  it('refuses unknown keys and near misses', () => {
    assert.equal(ring.authenticate('k-ingesT'), null);
    assert.equal(ring.authenticate(''), null);
    assert.equal(ring.open, false);
  });

  it('is open with an anonymous principal holding every role when no keys are configured', () => {
    const open = createKeyRing([]);
    assert.equal(open.open, true);
    const p = open.authenticate('anything');
    assert.equal(p?.anonymous, true);
    assert.equal(p?.roles.has('admin'), true);
  });

  it('refuses a malformed digest at start-up, naming the key', () => {
    assert.throws(
      () => createKeyRing([{ name: 'bad', key_sha256: 'abc', tenant: 't', roles: ['read'] }]),
      /"bad"/,
    );
  });
});

describe('presentedKey', () => {
  it('reads Bearer, ApiKey, Basic (password is the key) and X-API-Key', () => {
    assert.equal(presentedKey(new Headers({ authorization: 'Bearer abc' })), 'abc');
    assert.equal(presentedKey(new Headers({ authorization: 'ApiKey abc' })), 'abc');
    const basic = Buffer.from('elastic:abc').toString('base64');
    assert.equal(presentedKey(new Headers({ authorization: `Basic ${basic}` })), 'abc');
    assert.equal(presentedKey(new Headers({ 'x-api-key': 'abc' })), 'abc');
  });

  it('returns null for missing or unknown schemes', () => {
    assert.equal(presentedKey(new Headers()), null);
    assert.equal(presentedKey(new Headers({ authorization: 'Digest x' })), null);
    assert.equal(presentedKey(new Headers({ authorization: 'Bearer ' })), null);
  });
});
