import { createS3Client, type S3Client } from '../../../core/s3/client.ts';
import { createLocalObjectStore } from '../../engines/archive/local/localObjectStore.ts';
import { createS3ObjectStore } from '../../engines/archive/s3/s3ObjectStore.ts';
import { type ArchiveOptions, createArchive, type ParquetArchive } from './archive.ts';

/** The archive in a local directory (standalone mode). The directory is created on the first write. */
export function openLocalArchive(dir: string, options?: ArchiveOptions): ParquetArchive {
  return createArchive(createLocalObjectStore(dir), options);
}

export interface S3ArchiveOptions extends ArchiveOptions {
  /** Absent: AWS S3 in `region`. */
  endpoint?: string;
  bucket: string;
  region: string;
  /** Key prefix inside the bucket, e.g. `sluice/`; '' or absent for the bucket root. */
  prefix?: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** `endpoint/bucket/key` (MinIO, S3Proxy, most non-AWS stores) instead of `bucket.endpoint/key`. */
  forcePathStyle?: boolean;
  multipartThreshold?: number;
  partSize?: number;
}

/** The archive in an S3-compatible bucket (distributed mode). The bucket must exist. */
export function openS3Archive(options: S3ArchiveOptions): ParquetArchive {
  const client = archiveS3Client(options);
  const store = createS3ObjectStore({
    client,
    bucket: options.bucket,
    prefix: options.prefix,
    multipartThreshold: options.multipartThreshold,
    partSize: options.partSize,
  });
  return createArchive(store, options);
}

/** The S3 client of the archive's bucket; `--check-config` and /readyz pass shorter timeouts and no retries. */
export function archiveS3Client(
  options: Omit<S3ArchiveOptions, 'bucket'>,
  limits?: { retries?: number; timeoutMs?: number },
): S3Client {
  return createS3Client({
    endpoint: archiveEndpoint(options),
    region: options.region,
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    sessionToken: options.sessionToken,
    // As the `force_path_style` config key: virtual-host unless asked, which is what AWS wants.
    addressing: options.forcePathStyle === true ? 'path' : 'virtual-host',
    ...limits,
  });
}

/** The configured endpoint, or AWS S3's in the configured region. */
export function archiveEndpoint(options: { endpoint?: string; region: string }): string {
  return options.endpoint ?? `https://s3.${options.region}.amazonaws.com`;
}
