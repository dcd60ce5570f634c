import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createS3Client } from '../../../core/s3/client.ts';
import { S3Error } from '../../../core/s3/errors.ts';
import { engineSettings, type Isolation, isolate, requireEngines } from '../../helpers/engines.ts';

// core/s3's client against the local S3Proxy: the real S3 REST API with SigV4 checked, so
// what passes here is what the archiver will do against S3.

const MiB = 1024 * 1024;
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const KEYS = [
  'tenant=acme/date=2026-11-23/hour=12/p0-0-99.parquet',
  'tenant=acme/date=2026-11-23/hour=13/p0-100-199 (retry)+1.parquet',
  'tenant=acme/date=2026-11-24/hour=00/p1-0-9.parquet',
];

describe('S3 engine (S3Proxy, SigV4)', () => {
  let iso: Isolation;

  before(async () => {
    await requireEngines('s3');
    iso = isolate('s3 smoke', ['s3']);
  });

  after(async () => {
    await iso?.cleanup();
  });

  it('creates a bucket and puts objects whose keys need encoding', async () => {
    const s3 = iso.s3();
    await s3.createBucket(iso.bucket);
    for (const key of KEYS) {
      const { etag } = await s3.putObject(iso.bucket, key, `body of ${key}`, {
        contentType: 'application/vnd.apache.parquet',
      });
      assert.match(etag, /^"[0-9a-f]{32}"$/);
    }
  });

  it('lists by prefix, by page with continuation tokens, and by "directory" with a delimiter', async () => {
    const s3 = iso.s3();
    const day = await s3.listObjectsV2(iso.bucket, { prefix: 'tenant=acme/date=2026-11-23/' });
    assert.deepEqual(
      day.objects.map((o) => o.key),
      KEYS.slice(0, 2),
    );
    assert.equal(day.objects[0].size, `body of ${KEYS[0]}`.length);

    const first = await s3.listObjectsV2(iso.bucket, { maxKeys: 2 });
    assert.equal(first.isTruncated, true);
    assert.ok(first.nextContinuationToken);
    const rest = await s3.listObjectsV2(iso.bucket, {
      maxKeys: 2,
      continuationToken: first.nextContinuationToken,
    });
    assert.equal(rest.isTruncated, false);
    assert.deepEqual([...first.objects, ...rest.objects].map((o) => o.key).sort(), [...KEYS].sort());

    const all: string[] = [];
    for await (const object of s3.listAllObjects(iso.bucket, { prefix: 'tenant=acme/', pageSize: 1 }))
      all.push(object.key);
    assert.deepEqual(all.sort(), [...KEYS].sort());

    const days = await s3.listObjectsV2(iso.bucket, { prefix: 'tenant=acme/', delimiter: '/' });
    assert.deepEqual(days.commonPrefixes, ['tenant=acme/date=2026-11-23/', 'tenant=acme/date=2026-11-24/']);
    assert.deepEqual(days.objects, []);
  });

  it('gets an object whole, by byte range, and its metadata by HEAD', async () => {
    const s3 = iso.s3();
    const whole = await s3.getObject(iso.bucket, KEYS[1]);
    assert.equal(text(whole.body), `body of ${KEYS[1]}`);
    assert.equal(whole.contentType, 'application/vnd.apache.parquet');
    const slice = await s3.getObject(iso.bucket, KEYS[1], { range: { start: 0, end: 3 } });
    assert.equal(text(slice.body), 'body');
    const head = await s3.headObject(iso.bucket, KEYS[1]);
    assert.equal(head?.size, whole.body.length);
    assert.equal(head?.etag, whole.etag);
  });

  it('deletes an object: HEAD says it is gone and GET fails with NoSuchKey', async () => {
    const s3 = iso.s3();
    await s3.deleteObject(iso.bucket, KEYS[2]);
    assert.equal(await s3.headObject(iso.bucket, KEYS[2]), undefined);
    await assert.rejects(s3.getObject(iso.bucket, KEYS[2]), {
      name: 'S3Error',
      code: 'NoSuchKey',
      status: 404,
      key: KEYS[2],
    });
  });

  it('uploads a 6 MiB object in two parts; it appears only when completed, byte for byte', async () => {
    const s3 = iso.s3();
    const key = 'tenant=acme/date=2026-11-23/hour=14/p2-0-99999.parquet';
    const parts = [randomBytes(5 * MiB), randomBytes(1 * MiB)];
    const uploadId = await s3.createMultipartUpload(iso.bucket, key);
    const done = [];
    for (const [i, body] of parts.entries())
      done.push(await s3.uploadPart(iso.bucket, key, uploadId, i + 1, body));
    assert.equal(await s3.headObject(iso.bucket, key), undefined, 'visible before CompleteMultipartUpload');

    const { etag } = await s3.completeMultipartUpload(iso.bucket, key, uploadId, done);
    assert.match(etag, /-2"$/, 'a multipart ETag ends with the part count');
    const stored = await s3.getObject(iso.bucket, key);
    assert.equal(stored.body.length, 6 * MiB);
    assert.equal(sha256(stored.body), sha256(Buffer.concat(parts)));
  });

  it('aborts a multipart upload: nothing appears and the upload id is dead', async () => {
    const s3 = iso.s3();
    const key = 'tenant=acme/date=2026-11-23/hour=15/aborted.parquet';
    const uploadId = await s3.createMultipartUpload(iso.bucket, key);
    const part = await s3.uploadPart(iso.bucket, key, uploadId, 1, randomBytes(MiB));
    await s3.abortMultipartUpload(iso.bucket, key, uploadId);
    assert.equal(await s3.headObject(iso.bucket, key), undefined);
    await assert.rejects(s3.completeMultipartUpload(iso.bucket, key, uploadId, [part]), {
      name: 'S3Error',
      code: 'NoSuchUpload',
    });
  });

  it('refuses requests signed with a wrong secret or an unknown key (SigV4 is really checked)', async () => {
    const settings = engineSettings().s3;
    const wrongSecret = createS3Client({ ...settings, secretAccessKey: `${settings.secretAccessKey}-wrong` });
    await assert.rejects(wrongSecret.putObject(iso.bucket, 'forged.txt', 'x'), (error: unknown) => {
      assert.ok(error instanceof S3Error);
      assert.equal(error.status, 403);
      assert.equal(error.code, 'SignatureDoesNotMatch');
      return true;
    });
    const unknownKey = createS3Client({ ...settings, accessKeyId: 'not-a-key' });
    await assert.rejects(unknownKey.listObjectsV2(iso.bucket), { status: 403, code: 'InvalidAccessKeyId' });
    const unsigned = await fetch(`${settings.endpoint}/${iso.bucket}/forged.txt`, {
      method: 'PUT',
      body: 'x',
    });
    await unsigned.body?.cancel();
    assert.equal(unsigned.status, 403);
    assert.equal(await iso.s3().headObject(iso.bucket, 'forged.txt'), undefined);
  });

  it('cleanup empties and deletes the bucket', async () => {
    await iso.cleanup();
    await assert.rejects(iso.s3().listObjectsV2(iso.bucket), {
      name: 'S3Error',
      code: 'NoSuchBucket',
      status: 404,
    });
  });
});
