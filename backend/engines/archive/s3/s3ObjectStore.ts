import { checkKey, type ObjectStore } from '../../../../core/ports/objectStore.ts';
import type { S3Client } from '../../../../core/s3/client.ts';
import { S3Error } from '../../../../core/s3/errors.ts';

/**
 * The archive's bytes in an S3 bucket (distributed mode), under an optional key prefix. S3 makes an
 * object visible only once its PUT (or CompleteMultipartUpload) succeeded, and replaces objects whole,
 * so put is atomic without a temporary name. Large files go up in parts: a single PUT of a big file
 * retried from scratch after a dropped connection is what multipart avoids.
 */

export interface S3ObjectStoreOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix of the archive inside the bucket, e.g. `sluice/archive`; '' for the bucket root. */
  prefix?: string;
  /** Objects larger than this go up in parts. Default 8 MiB. */
  multipartThreshold?: number;
  /** Size of each part but the last; S3 requires at least 5 MiB. Default 8 MiB. */
  partSize?: number;
}

const MIB = 1024 * 1024;
const MIN_PART = 5 * MIB;
const CONTENT_TYPE = 'application/vnd.apache.parquet';

export function createS3ObjectStore(options: S3ObjectStoreOptions): ObjectStore {
  const { client, bucket } = options;
  const root = normalizePrefix(options.prefix ?? '');
  const threshold = options.multipartThreshold ?? 8 * MIB;
  const partSize = options.partSize ?? 8 * MIB;
  if (partSize < MIN_PART) throw new RangeError(`S3 parts must be at least 5 MiB, got ${partSize} bytes`);

  async function putInParts(key: string, body: Uint8Array): Promise<void> {
    const uploadId = await client.createMultipartUpload(bucket, key, { contentType: CONTENT_TYPE });
    try {
      const parts = [];
      for (let start = 0, number = 1; start < body.length; start += partSize, number++) {
        parts.push(
          await client.uploadPart(bucket, key, uploadId, number, body.subarray(start, start + partSize)),
        );
      }
      await client.completeMultipartUpload(bucket, key, uploadId, parts);
    } catch (error) {
      // Uploaded parts are stored (and billed) until aborted; nothing becomes visible either way.
      await client.abortMultipartUpload(bucket, key, uploadId).catch(() => undefined); // the upload's error matters more
      throw error;
    }
  }

  return {
    async put(key, body) {
      checkKey(key);
      if (body.length > threshold) await putInParts(root + key, body);
      else await client.putObject(bucket, root + key, body, { contentType: CONTENT_TYPE });
    },

    async get(key) {
      checkKey(key);
      return absentAsUndefined(async () => (await client.getObject(bucket, root + key)).body);
    },

    async getRange(key, start, end) {
      checkKey(key);
      if (end <= start) return new Uint8Array(0);
      const range = { start, end: end - 1 }; // HTTP ranges are inclusive
      return absentAsUndefined(async () => (await client.getObject(bucket, root + key, { range })).body);
    },

    async list(prefix) {
      checkKey(prefix, { folder: true });
      const found = [];
      for await (const object of client.listAllObjects(bucket, { prefix: root + prefix })) {
        // Zero-byte "folder" markers some tools create are not objects of the archive.
        if (!object.key.endsWith('/')) found.push({ key: object.key.slice(root.length), bytes: object.size });
      }
      return found;
    },

    async listFolders(prefix) {
      checkKey(prefix, { folder: true });
      const folders: string[] = [];
      let continuationToken: string | undefined;
      do {
        const page = await client.listObjectsV2(bucket, {
          prefix: root + prefix,
          delimiter: '/',
          continuationToken,
        });
        for (const common of page.commonPrefixes) folders.push(common.slice(root.length + prefix.length, -1));
        continuationToken = page.nextContinuationToken;
      } while (continuationToken !== undefined);
      return folders;
    },

    async delete(keys) {
      for (const key of keys) checkKey(key);
      if (keys.length > 0)
        await client.deleteObjects(
          bucket,
          keys.map((key) => root + key),
        );
    },
  };
}

/** `a/b` and `a/b/` both mean the folder `a/b/`; '' is the bucket root. */
function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  checkKey(`${trimmed}/`, { folder: true });
  return `${trimmed}/`;
}

async function absentAsUndefined(read: () => Promise<Uint8Array>): Promise<Uint8Array | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof S3Error && (error.status === 404 || error.code === 'NoSuchKey')) return undefined;
    throw error;
  }
}
