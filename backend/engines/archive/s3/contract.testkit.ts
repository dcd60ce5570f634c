import { engineSettings, isolate, requireEngines } from '../../../../test/helpers/engines.ts';
import type { ArchiveFixture } from '../../descriptor.ts';
import { createS3ObjectStore } from './s3ObjectStore.ts';

export const fixtures = {
  // S3Proxy from deploy/local: a bucket of its own per test, under a key prefix (as users configure one).
  'deploy/local S3Proxy': async (): Promise<ArchiveFixture> => {
    await requireEngines('s3');
    const iso = isolate('archive', ['s3']);
    const s3 = iso.s3();
    const bucket = iso.bucket;
    const prefix = 'run/';
    await s3.createBucket(bucket);
    const settings = engineSettings().s3;
    const uploads: Array<{ key: string; uploadId: string }> = [];
    return {
      config: {
        kind: 's3',
        endpoint: settings.endpoint,
        region: settings.region,
        access_key_id: settings.accessKeyId,
        secret_access_key: settings.secretAccessKey,
        bucket,
        prefix,
        force_path_style: true,
      },
      async rawKeys() {
        const keys: string[] = [];
        for await (const object of s3.listAllObjects(bucket, { prefix }))
          keys.push(object.key.slice(prefix.length));
        return keys;
      },
      rawGet: (key) => createS3ObjectStore({ client: s3, bucket, prefix }).get(key),
      async leavePartialWrite(key, bytes) {
        // What a crash mid-upload leaves: a multipart upload with a part stored and no completion.
        const uploadId = await s3.createMultipartUpload(bucket, prefix + key);
        await s3.uploadPart(bucket, prefix + key, uploadId, 1, bytes);
        uploads.push({ key: prefix + key, uploadId });
      },
      async cleanup() {
        for (const { key, uploadId } of uploads) await s3.abortMultipartUpload(bucket, key, uploadId);
        await iso.cleanup();
      },
    };
  },
};
