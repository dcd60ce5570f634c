import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { S3Client } from '../../../../core/s3/client.ts';
import { S3Error } from '../../../../core/s3/errors.ts';
import { createS3ObjectStore } from './s3ObjectStore.ts';

const MIB = 1024 * 1024;
const KEY = 'tenant=acme/date=2026-11-23/hour=12/p0-0-9.parquet';

/** Records the calls the store makes; uploadPart fails for the part numbers in `failParts`. */
function fakeClient(failParts: number[] = []) {
  const calls: string[] = [];
  const client = {
    async putObject(_bucket: string, key: string, body: Uint8Array) {
      calls.push(`put ${key} ${body.length}`);
      return { etag: '"e"' };
    },
    async createMultipartUpload(_bucket: string, key: string) {
      calls.push(`create ${key}`);
      return 'upload-1';
    },
    async uploadPart(_bucket: string, _key: string, _id: string, partNumber: number, body: Uint8Array) {
      calls.push(`part ${partNumber} ${body.length}`);
      if (failParts.includes(partNumber))
        throw new S3Error({ operation: 'UploadPart', status: 500, code: 'InternalError', message: 'test' });
      return { partNumber, etag: `"p${partNumber}"` };
    },
    async completeMultipartUpload(_bucket: string, _key: string, _id: string, parts: unknown[]) {
      calls.push(`complete ${parts.length}`);
      return { etag: '"m"' };
    },
    async abortMultipartUpload(_bucket: string, _key: string, id: string) {
      calls.push(`abort ${id}`);
    },
    async getObject(_bucket: string, key: string) {
      throw new S3Error({
        operation: 'GetObject',
        bucket: 'b',
        key,
        status: 404,
        code: 'NoSuchKey',
        message: 'gone',
      });
    },
  };
  return { client: client as unknown as S3Client, calls };
}

describe('S3 object store', () => {
  it('puts small files in one request, under the prefix', async () => {
    const { client, calls } = fakeClient();
    await createS3ObjectStore({ client, bucket: 'b', prefix: 'logs/archive/' }).put(KEY, new Uint8Array(10));
    assert.deepEqual(calls, [`put logs/archive/${KEY} 10`]);
  });

  it('uploads files above the threshold in parts of partSize, the last one shorter', async () => {
    const { client, calls } = fakeClient();
    const store = createS3ObjectStore({
      client,
      bucket: 'b',
      multipartThreshold: 8 * MIB,
      partSize: 5 * MIB,
    });
    await store.put(KEY, new Uint8Array(12 * MIB));
    assert.deepEqual(calls, [
      `create ${KEY}`,
      `part 1 ${5 * MIB}`,
      `part 2 ${5 * MIB}`,
      `part 3 ${2 * MIB}`,
      'complete 3',
    ]);
  });

  it('aborts the upload when a part fails, so no parts linger and nothing becomes visible', async () => {
    const { client, calls } = fakeClient([2]);
    const store = createS3ObjectStore({
      client,
      bucket: 'b',
      multipartThreshold: 8 * MIB,
      partSize: 5 * MIB,
    });
    await assert.rejects(store.put(KEY, new Uint8Array(12 * MIB)), S3Error);
    assert.deepEqual(calls.slice(-2), [`part 2 ${5 * MIB}`, 'abort upload-1']);
    assert.ok(!calls.some((call) => call.startsWith('complete')));
  });

  it('answers undefined for a missing object', async () => {
    const { client } = fakeClient();
    assert.equal(await createS3ObjectStore({ client, bucket: 'b' }).get(KEY), undefined);
  });

  it('refuses parts smaller than S3 allows and keys that climb out of the prefix', async () => {
    const { client } = fakeClient();
    assert.throws(() => createS3ObjectStore({ client, bucket: 'b', partSize: MIB }), RangeError);
    await assert.rejects(
      createS3ObjectStore({ client, bucket: 'b' }).put('../x.parquet', new Uint8Array(1)),
      { code: 'object_key_invalid' },
    );
  });
});
