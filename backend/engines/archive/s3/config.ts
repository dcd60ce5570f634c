// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import * as v from 'valibot';

/** The archive in an S3-compatible bucket. Its `kind:` variant of sluice.yaml; docs/configuration.md is generated from the descriptions. */
export const s3ArchiveSchema = v.strictObject({
  kind: v.pipe(v.literal('s3'), v.description('Which archive to use.')),
  endpoint: v.optional(
    v.pipe(
      v.string(),
      v.url(),
      v.description('S3-compatible endpoint URL; absent means AWS S3 in `region`.'),
    ),
  ),
  bucket: v.pipe(
    v.string(),
    v.nonEmpty(),
    v.description('Bucket name.'),
    v.metadata({ example: 'acme-logs' }),
  ),
  region: v.optional(v.pipe(v.string(), v.description('Region used to sign requests.')), 'us-east-1'),
  prefix: v.optional(v.pipe(v.string(), v.description('Key prefix inside the bucket, e.g. `sluice/`.')), ''),
  access_key_id: v.pipe(
    v.string(),
    v.nonEmpty(),
    v.description('Access key id; use `${AWS_ACCESS_KEY_ID}`.'),
    v.metadata({ example: '${AWS_ACCESS_KEY_ID}' }),
  ),
  secret_access_key: v.pipe(
    v.string(),
    v.nonEmpty(),
    v.description('Secret access key; use `${AWS_SECRET_ACCESS_KEY}`.'),
    v.metadata({ example: '${AWS_SECRET_ACCESS_KEY}' }),
  ),
  force_path_style: v.optional(
    v.pipe(
      v.boolean(),
      v.description(
        'Address the bucket as `endpoint/bucket` (MinIO, most non-AWS stores) instead of `bucket.endpoint`.',
      ),
    ),
    false,
  ),
});
