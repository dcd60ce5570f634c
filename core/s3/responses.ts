/** S3's XML documents, read into plain values (and the two we write). */
import { escapeXml, xmlElements, xmlText } from './xml.ts';

export interface S3Object {
  key: string;
  size: number;
  /** As S3 returns it, quotes included (`"9b2cf535f27731c974343645a3985328"`). */
  etag: string;
  lastModified: Date;
  storageClass: string | undefined;
}

export interface ListObjectsV2Page {
  objects: S3Object[];
  /** With a delimiter: the "directories" one level down, each ending with the delimiter. */
  commonPrefixes: string[];
  isTruncated: boolean;
  /** Pass back as `continuationToken` for the next page; set only when `isTruncated`. */
  nextContinuationToken: string | undefined;
}

export interface S3ErrorBody {
  code: string;
  message: string;
  requestId: string | undefined;
}

export interface CompletedPart {
  partNumber: number;
  etag: string;
}

export interface DeleteObjectsResult {
  deleted: string[];
  errors: { key: string; code: string; message: string }[];
}

function requiredText(xml: string, tag: string, document: string): string {
  const text = xmlText(xml, tag);
  if (text === undefined) throw new Error(`S3 answer has no <${tag}> in <${document}>: ${xml.slice(0, 200)}`);
  return text;
}

export function parseListObjectsV2(xml: string): ListObjectsV2Page {
  const objects = xmlElements(xml, 'Contents').map((entry) => ({
    key: requiredText(entry, 'Key', 'Contents'),
    size: Number(requiredText(entry, 'Size', 'Contents')),
    etag: xmlText(entry, 'ETag') ?? '',
    lastModified: new Date(requiredText(entry, 'LastModified', 'Contents')),
    storageClass: xmlText(entry, 'StorageClass'),
  }));
  const commonPrefixes = xmlElements(xml, 'CommonPrefixes').map((entry) =>
    requiredText(entry, 'Prefix', 'CommonPrefixes'),
  );
  const isTruncated = xmlText(xml, 'IsTruncated') === 'true';
  return {
    objects,
    commonPrefixes,
    isTruncated,
    nextContinuationToken: isTruncated ? xmlText(xml, 'NextContinuationToken') : undefined,
  };
}

/** The `<Error>` document S3 sends with 4xx/5xx answers, and inside some 200 answers. */
export function parseError(xml: string): S3ErrorBody | undefined {
  const [error] = xmlElements(xml, 'Error');
  if (error === undefined) return undefined;
  return {
    code: xmlText(error, 'Code') ?? 'UnknownError',
    message: xmlText(error, 'Message') ?? '',
    requestId: xmlText(error, 'RequestId'),
  };
}

export function parseInitiateMultipartUpload(xml: string): string {
  return requiredText(xml, 'UploadId', 'InitiateMultipartUploadResult');
}

export function parseCompleteMultipartUpload(xml: string): { etag: string } {
  return { etag: requiredText(xml, 'ETag', 'CompleteMultipartUploadResult') };
}

export function parseDeleteObjects(xml: string): DeleteObjectsResult {
  return {
    deleted: xmlElements(xml, 'Deleted').map((entry) => requiredText(entry, 'Key', 'Deleted')),
    errors: xmlElements(xml, 'Error').map((entry) => ({
      key: xmlText(entry, 'Key') ?? '',
      code: xmlText(entry, 'Code') ?? 'UnknownError',
      message: xmlText(entry, 'Message') ?? '',
    })),
  };
}

export function buildCompleteMultipartUpload(parts: readonly CompletedPart[]): string {
  const sorted = [...parts].sort((a, b) => a.partNumber - b.partNumber);
  const body = sorted
    .map(
      (part) =>
        `<Part><PartNumber>${part.partNumber}</PartNumber><ETag>${escapeXml(part.etag)}</ETag></Part>`,
    )
    .join('');
  return `<CompleteMultipartUpload>${body}</CompleteMultipartUpload>`;
}

export function buildDeleteObjects(keys: readonly string[]): string {
  const objects = keys.map((key) => `<Object><Key>${escapeXml(key)}</Key></Object>`).join('');
  // Quiet: S3 lists only the failures, which is all a caller acts on.
  return `<Delete><Quiet>true</Quiet>${objects}</Delete>`;
}
