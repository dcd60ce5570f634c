/**
 * A small typed S3 client over aws4fetch (SigV4 signing on web-standard fetch): the object,
 * listing, bucket and multipart calls the archive needs, against AWS S3 or any
 * S3-compatible store (S3Proxy, MinIO, R2, …). Every failure is an S3Error naming the
 * operation, bucket, key, HTTP status and S3's error code.
 */
import { S3Error } from './errors.ts';
import { contentMd5, createRequester, type S3ConnectionOptions } from './request.ts';
import {
  buildCompleteMultipartUpload,
  buildDeleteObjects,
  type CompletedPart,
  type ListObjectsV2Page,
  parseCompleteMultipartUpload,
  parseDeleteObjects,
  parseError,
  parseInitiateMultipartUpload,
  parseListObjectsV2,
  type S3Object,
} from './responses.ts';

export { encodeKey } from './request.ts';
export type S3ClientOptions = S3ConnectionOptions;

export type S3Body = Uint8Array | string;

export interface ObjectInfo {
  size: number;
  etag: string;
  contentType: string | undefined;
  lastModified: Date | undefined;
}

export interface GetObjectResult {
  body: Uint8Array;
  etag: string;
  contentType: string | undefined;
  lastModified: Date | undefined;
}

export interface ListObjectsV2Options {
  prefix?: string;
  delimiter?: string;
  continuationToken?: string;
  startAfter?: string;
  /** At most 1000 (S3's cap). */
  maxKeys?: number;
}

export interface S3Client {
  putObject(
    bucket: string,
    key: string,
    body: S3Body,
    options?: { contentType?: string },
  ): Promise<{ etag: string }>;
  /** `range` is inclusive, as HTTP's: `{ start: 0, end: 99 }` reads 100 bytes; no `end` reads to the end. */
  getObject(
    bucket: string,
    key: string,
    options?: { range?: { start: number; end?: number } },
  ): Promise<GetObjectResult>;
  /** undefined when the object does not exist. */
  headObject(bucket: string, key: string): Promise<ObjectInfo | undefined>;
  /** Succeeds whether or not the object existed (S3 semantics). */
  deleteObject(bucket: string, key: string): Promise<void>;
  /** Any number of keys, sent 1000 per request; throws if S3 could not delete some. */
  deleteObjects(bucket: string, keys: readonly string[]): Promise<void>;
  listObjectsV2(bucket: string, options?: ListObjectsV2Options): Promise<ListObjectsV2Page>;
  /** Every object under a prefix, following continuation tokens page by page. */
  listAllObjects(bucket: string, options?: { prefix?: string; pageSize?: number }): AsyncGenerator<S3Object>;
  createBucket(bucket: string): Promise<void>;
  /** The bucket must be empty. */
  deleteBucket(bucket: string): Promise<void>;
  /** Returns the upload id. Parts are 5 MiB to 5 GiB, except the last; at most 10 000. */
  createMultipartUpload(bucket: string, key: string, options?: { contentType?: string }): Promise<string>;
  uploadPart(
    bucket: string,
    key: string,
    uploadId: string,
    partNumber: number,
    body: S3Body,
  ): Promise<CompletedPart>;
  /** The object appears, whole, only now. */
  completeMultipartUpload(
    bucket: string,
    key: string,
    uploadId: string,
    parts: readonly CompletedPart[],
  ): Promise<{ etag: string }>;
  abortMultipartUpload(bucket: string, key: string, uploadId: string): Promise<void>;
}

const encoder = new TextEncoder();
const DELETE_BATCH = 1000;

function bytesOf(body: S3Body): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}

function dateHeader(value: string | null): Date | undefined {
  return value === null ? undefined : new Date(value);
}

export function createS3Client(options: S3ClientOptions): S3Client {
  const { send, sendText, upload } = createRequester(options);

  const client: S3Client = {
    async putObject(bucket, key, body, opts) {
      const contentType = opts?.contentType ?? 'application/octet-stream';
      const etag = await upload({
        operation: 'PutObject',
        method: 'PUT',
        bucket,
        key,
        body: bytesOf(body),
        headers: { 'content-type': contentType },
      });
      return { etag };
    },

    async getObject(bucket, key, opts) {
      const range = opts?.range;
      const headers = range ? { range: `bytes=${range.start}-${range.end ?? ''}` } : undefined;
      const response = await send({ operation: 'GetObject', method: 'GET', bucket, key, headers });
      return {
        body: new Uint8Array(await response.arrayBuffer()),
        etag: response.headers.get('etag') ?? '',
        contentType: response.headers.get('content-type') ?? undefined,
        lastModified: dateHeader(response.headers.get('last-modified')),
      };
    },

    async headObject(bucket, key) {
      try {
        const response = await send({ operation: 'HeadObject', method: 'HEAD', bucket, key });
        return {
          size: Number(response.headers.get('content-length') ?? 0),
          etag: response.headers.get('etag') ?? '',
          contentType: response.headers.get('content-type') ?? undefined,
          lastModified: dateHeader(response.headers.get('last-modified')),
        };
      } catch (error) {
        if (error instanceof S3Error && error.status === 404) return undefined;
        throw error;
      }
    },

    async deleteObject(bucket, key) {
      await sendText({ operation: 'DeleteObject', method: 'DELETE', bucket, key });
    },

    async deleteObjects(bucket, keys) {
      for (let i = 0; i < keys.length; i += DELETE_BATCH) {
        const body = encoder.encode(buildDeleteObjects(keys.slice(i, i + DELETE_BATCH)));
        const xml = await sendText({
          operation: 'DeleteObjects',
          method: 'POST',
          bucket,
          query: { delete: '' },
          headers: { 'content-type': 'application/xml', 'content-md5': contentMd5(body) },
          body,
        });
        const { errors } = parseDeleteObjects(xml);
        if (errors.length > 0) {
          const first = errors[0];
          const listed = errors
            .slice(0, 5)
            .map((e) => `${e.key} (${e.code})`)
            .join(', ');
          throw new S3Error({
            operation: 'DeleteObjects',
            bucket,
            key: first.key,
            status: 200,
            code: first.code,
            message: `${errors.length} keys not deleted: ${listed}`,
          });
        }
      }
    },

    async listObjectsV2(bucket, opts = {}) {
      const query = {
        'list-type': 2,
        prefix: opts.prefix,
        delimiter: opts.delimiter,
        'continuation-token': opts.continuationToken,
        'start-after': opts.startAfter,
        'max-keys': opts.maxKeys,
      };
      return parseListObjectsV2(await sendText({ operation: 'ListObjectsV2', method: 'GET', bucket, query }));
    },

    async *listAllObjects(bucket, opts = {}) {
      let continuationToken: string | undefined;
      do {
        const page = await client.listObjectsV2(bucket, {
          prefix: opts.prefix,
          maxKeys: opts.pageSize,
          continuationToken,
        });
        yield* page.objects;
        continuationToken = page.nextContinuationToken;
      } while (continuationToken !== undefined);
    },

    async createBucket(bucket) {
      // us-east-1 is the one region S3 wants no LocationConstraint for.
      const body =
        options.region === 'us-east-1'
          ? undefined
          : encoder.encode(
              `<CreateBucketConfiguration><LocationConstraint>${options.region}</LocationConstraint></CreateBucketConfiguration>`,
            );
      await sendText({ operation: 'CreateBucket', method: 'PUT', bucket, body });
    },

    async deleteBucket(bucket) {
      await sendText({ operation: 'DeleteBucket', method: 'DELETE', bucket });
    },

    async createMultipartUpload(bucket, key, opts) {
      const headers = { 'content-type': opts?.contentType ?? 'application/octet-stream' };
      const xml = await sendText({
        operation: 'CreateMultipartUpload',
        method: 'POST',
        bucket,
        key,
        query: { uploads: '' },
        headers,
      });
      return parseInitiateMultipartUpload(xml);
    },

    async uploadPart(bucket, key, uploadId, partNumber, body) {
      const query = { partNumber, uploadId };
      const etag = await upload({
        operation: 'UploadPart',
        method: 'PUT',
        bucket,
        key,
        query,
        body: bytesOf(body),
      });
      return { partNumber, etag };
    },

    async completeMultipartUpload(bucket, key, uploadId, parts) {
      const body = encoder.encode(buildCompleteMultipartUpload(parts));
      const spec = { operation: 'CompleteMultipartUpload', bucket, key } as const;
      const xml = await sendText({
        ...spec,
        method: 'POST',
        query: { uploadId },
        headers: { 'content-type': 'application/xml' },
        body,
      });
      // S3 may answer 200 and still fail: the error is in the body.
      const error = parseError(xml);
      if (error) throw new S3Error({ ...spec, status: 200, ...error });
      return parseCompleteMultipartUpload(xml);
    },

    async abortMultipartUpload(bucket, key, uploadId) {
      await sendText({
        operation: 'AbortMultipartUpload',
        method: 'DELETE',
        bucket,
        key,
        query: { uploadId },
      });
    },
  };
  return client;
}
