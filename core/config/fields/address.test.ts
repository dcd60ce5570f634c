import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { hostPortSchema, isLoopback, splitHostPort } from './address.ts';

describe('splitHostPort', () => {
  it('reads host:port, names and bracketed IPv6', () => {
    assert.deepEqual(splitHostPort('127.0.0.1:8080'), { host: '127.0.0.1', port: 8080 });
    assert.deepEqual(splitHostPort('kafka-1.internal:9092'), { host: 'kafka-1.internal', port: 9092 });
    assert.deepEqual(splitHostPort('[::1]:9464'), { host: '::1', port: 9464 });
  });

  it('rejects a missing port, a port over 65535 and a URL', () => {
    assert.equal(splitHostPort('localhost'), undefined);
    assert.equal(splitHostPort('localhost:70000'), undefined);
    assert.equal(splitHostPort('http://localhost:80'), undefined);
  });
});

describe('isLoopback', () => {
  it('is true only for addresses other machines cannot reach', () => {
    assert.equal(isLoopback('127.0.0.1:8080'), true);
    assert.equal(isLoopback('localhost:8080'), true);
    assert.equal(isLoopback('[::1]:8080'), true);
    assert.equal(isLoopback('0.0.0.0:8080'), false);
    assert.equal(isLoopback('10.0.0.5:8080'), false);
  });
});

describe('hostPortSchema', () => {
  it('says what an address looks like', () => {
    const result = v.safeParse(hostPortSchema(), 'localhost');
    assert.equal(result.success, false);
    assert.match(result.issues?.[0].message ?? '', /expected an address such as 127\.0\.0\.1:8080/);
  });
});
