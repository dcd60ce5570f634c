import { openS3Archive } from '../../../sinks/archive/openArchive.ts';
import type { ArchiveDescriptor } from '../../descriptor.ts';
import { checkS3Archive, probeS3Archive } from './check.ts';
import { s3ArchiveSchema } from './config.ts';

/** `archive.kind: s3`: Parquet files in an S3-compatible bucket, which must exist (distributed mode). */
export const s3Archive: ArchiveDescriptor<typeof s3ArchiveSchema> = {
  port: 'archive',
  kind: 's3',
  schema: s3ArchiveSchema,
  open: (config, { tuning }) =>
    openS3Archive({
      endpoint: config.endpoint,
      bucket: config.bucket,
      region: config.region,
      prefix: config.prefix,
      accessKeyId: config.access_key_id,
      secretAccessKey: config.secret_access_key,
      forcePathStyle: config.force_path_style,
      ...tuning,
    }),
  check: checkS3Archive,
  probe: probeS3Archive,
  contract: { needs: 'server', fixtures: async () => (await import('./contract.testkit.ts')).fixtures },
};
