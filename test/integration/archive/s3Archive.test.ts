/**
 * The archive on S3, what only S3 has: multipart uploads and a key prefix inside the bucket (the shared
 * archive contract runs against S3Proxy from test/integration/engines/registry.test.ts).
 * Needs S3Proxy (deploy/local/up); fails, never skips, without it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createS3ObjectStore } from '../../../backend/engines/archive/s3/s3ObjectStore.ts';
import { type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';

let isolation: Isolation;

before(async () => {
  await requireEngines('s3');
  isolation = isolate('archive', ['s3']);
  await isolation.s3().createBucket(isolation.bucket);
});

after(() => isolation?.cleanup());

describe('S3 object store', () => {
  it('uploads a file above the multipart threshold in parts, visible whole only when complete', async () => {
    const store = createS3ObjectStore({
      client: isolation.s3(),
      bucket: isolation.bucket,
      prefix: 'multipart',
      multipartThreshold: 6 * 1024 * 1024,
      partSize: 5 * 1024 * 1024,
    });
    const body = new Uint8Array(randomBytes(12 * 1024 * 1024 + 17));
    await store.put('tenant=acme/date=2026-11-23/hour=12/p0-0-9.parquet', body);
    assert.deepEqual(await store.list('tenant=acme/'), [
      { key: 'tenant=acme/date=2026-11-23/hour=12/p0-0-9.parquet', bytes: body.length },
    ]);
    const back = await store.get('tenant=acme/date=2026-11-23/hour=12/p0-0-9.parquet');
    assert.ok(back !== undefined && Buffer.compare(back, body) === 0, 'the object reads back byte for byte');
    const range = await store.getRange(
      'tenant=acme/date=2026-11-23/hour=12/p0-0-9.parquet',
      5 * 1024 * 1024 - 3,
      5 * 1024 * 1024 + 3,
    );
    assert.deepEqual(range, body.subarray(5 * 1024 * 1024 - 3, 5 * 1024 * 1024 + 3));
  });

  it('keeps the archive under its prefix and lists folders one level down', async () => {
    const store = createS3ObjectStore({
      client: isolation.s3(),
      bucket: isolation.bucket,
      prefix: '/folders/',
    });
    await store.put('tenant=a/date=2026-11-23/hour=12/p0-0-0.parquet', new Uint8Array([1]));
    await store.put('tenant=b/date=2026-11-23/hour=12/p0-0-0.parquet', new Uint8Array([2]));
    assert.deepEqual(await store.listFolders(''), ['tenant=a', 'tenant=b']);
    assert.deepEqual(await store.listFolders('tenant=a/'), ['date=2026-11-23']);
    const raw = [];
    for await (const object of isolation.s3().listAllObjects(isolation.bucket, { prefix: 'folders/' }))
      raw.push(object.key);
    assert.deepEqual(raw, [
      'folders/tenant=a/date=2026-11-23/hour=12/p0-0-0.parquet',
      'folders/tenant=b/date=2026-11-23/hour=12/p0-0-0.parquet',
    ]);
    assert.equal(await store.get('tenant=c/date=2026-11-23/hour=12/p0-0-0.parquet'), undefined);
  });
});
