import { randomBytes } from 'node:crypto';
import type * as v from 'valibot';
import type { Logger } from '../../../../core/log/logger.ts';
import type { S3Client } from '../../../../core/s3/client.ts';
import { S3Error } from '../../../../core/s3/errors.ts';
import { type CheckResult, failed, messageOf, passed } from '../../../checks/result.ts';
import { archiveEndpoint, archiveS3Client } from '../../../sinks/archive/openArchive.ts';
import type { s3ArchiveSchema } from './config.ts';

export type S3ArchiveConfig = v.InferOutput<typeof s3ArchiveSchema>;

/**
 * What the archiver and archive reads need of the bucket: it exists and can be listed with these
 * credentials, and a small probe object can be put and deleted under `archive.prefix`.
 */
export async function checkS3Archive(config: S3ArchiveConfig, _deps: { log: Logger }): Promise<CheckResult> {
  const client = clientOf(config);
  const where = whereOf(config);
  const listed = await listOne(client, config);
  if (!listed.ok) return listed;
  const key = `${keyPrefix(config)}.sluice-check-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await client.putObject(config.bucket, key, 'sluice --check-config probe\n', {
      contentType: 'text/plain',
    });
  } catch (error) {
    return failed(`${where}: cannot write ${key}: ${describe(error, config)}`);
  }
  try {
    await client.deleteObject(config.bucket, key);
  } catch (error) {
    return failed(
      `${where}: wrote ${key} but cannot delete it (${describe(error, config)}): retention needs delete rights`,
    );
  }
  return passed(`${where}: bucket ${config.bucket} exists, probe object written and deleted`);
}

/** For /readyz: the bucket exists and these credentials may list it (one request, nothing written). */
export async function probeS3Archive(config: S3ArchiveConfig): Promise<CheckResult> {
  const listed = await listOne(clientOf(config), config);
  return listed.ok ? passed(`${whereOf(config)}: bucket ${config.bucket} reachable`) : listed;
}

async function listOne(client: S3Client, config: S3ArchiveConfig): Promise<CheckResult> {
  try {
    await client.listObjectsV2(config.bucket, { prefix: keyPrefix(config), maxKeys: 1 });
    return passed(whereOf(config));
  } catch (error) {
    return failed(`${whereOf(config)}: ${describe(error, config)}`);
  }
}

function clientOf(config: S3ArchiveConfig): S3Client {
  return archiveS3Client(
    {
      endpoint: config.endpoint,
      region: config.region,
      accessKeyId: config.access_key_id,
      secretAccessKey: config.secret_access_key,
      forcePathStyle: config.force_path_style,
    },
    { retries: 0, timeoutMs: 3000 },
  );
}

function keyPrefix(config: S3ArchiveConfig): string {
  const trimmed = config.prefix.replace(/^\/+|\/+$/g, '');
  return trimmed === '' ? '' : `${trimmed}/`;
}

function whereOf(config: S3ArchiveConfig): string {
  return archiveEndpoint(config).replace(/\/$/, '');
}

function describe(error: unknown, config: S3ArchiveConfig): string {
  if (!(error instanceof S3Error)) return messageOf(error);
  switch (error.code) {
    case 'NoSuchBucket':
    case 'NotFound':
      return `bucket ${config.bucket} does not exist: create it or set archive.bucket`;
    case 'InvalidAccessKeyId':
      return `access key ${config.access_key_id} is unknown to this store: fix archive.access_key_id`;
    case 'SignatureDoesNotMatch':
      return `the secret key does not match access key ${config.access_key_id}: fix archive.secret_access_key`;
    case 'AccessDenied':
    case 'Forbidden':
      return `access denied (${error.status} ${error.code}): check archive.access_key_id, archive.secret_access_key and the bucket policy`;
    case 'NetworkError':
      return `${saidByS3(error)}: start the object store or fix archive.endpoint`;
    default:
      return `${error.status} ${error.code}: ${saidByS3(error)}`;
  }
}

/** The store's own words, without the operation, status and code S3Error puts before them. */
function saidByS3(error: S3Error): string {
  return messageOf(error).replace(/^S3 .*? failed:( \d+)? \w+: /, '');
}
