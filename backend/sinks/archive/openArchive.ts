import { createS3Client } from '../../../core/s3/client.ts';
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
  const client = createS3Client({
    endpoint: options.endpoint ?? `https://s3.${options.region}.amazonaws.com`,
    region: options.region,
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    sessionToken: options.sessionToken,
    // As the `force_path_style` config key: virtual-host unless asked, which is what AWS wants.
    addressing: options.forcePathStyle === true ? 'path' : 'virtual-host',
  });
  const store = createS3ObjectStore({
    client,
    bucket: options.bucket,
    prefix: options.prefix,
    multipartThreshold: options.multipartThreshold,
    partSize: options.partSize,
  });
  return createArchive(store, options);
}
