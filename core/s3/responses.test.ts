import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildCompleteMultipartUpload,
  buildDeleteObjects,
  parseCompleteMultipartUpload,
  parseDeleteObjects,
  parseError,
  parseInitiateMultipartUpload,
  parseListObjectsV2,
} from './responses.ts';

// Shapes as AWS documents them (and S3Proxy sends them), trimmed to what matters.
const LIST_TRUNCATED = `<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>archive</Name>
  <Prefix>tenant=acme/</Prefix>
  <KeyCount>2</KeyCount>
  <MaxKeys>2</MaxKeys>
  <Delimiter>/</Delimiter>
  <IsTruncated>true</IsTruncated>
  <Contents>
    <Key>tenant=acme/a &amp; b.parquet</Key>
    <LastModified>2026-11-23T12:00:00.000Z</LastModified>
    <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag>
    <Size>1048576</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <Contents>
    <Key>tenant=acme/c.parquet</Key>
    <LastModified>2026-11-23T13:00:00.000Z</LastModified>
    <ETag>"abc-2"</ETag>
    <Size>0</Size>
  </Contents>
  <CommonPrefixes><Prefix>tenant=acme/date=2026-11-23/</Prefix></CommonPrefixes>
  <CommonPrefixes><Prefix>tenant=acme/date=2026-11-24/</Prefix></CommonPrefixes>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>`;

describe('S3 response documents', () => {
  it('reads a truncated ListObjectsV2 page: objects, common prefixes and the continuation token', () => {
    const page = parseListObjectsV2(LIST_TRUNCATED);
    assert.equal(page.isTruncated, true);
    assert.equal(page.nextContinuationToken, '1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=');
    assert.deepEqual(page.objects, [
      {
        key: 'tenant=acme/a & b.parquet',
        size: 1048576,
        etag: '"9b2cf535f27731c974343645a3985328"',
        lastModified: new Date('2026-11-23T12:00:00.000Z'),
        storageClass: 'STANDARD',
      },
      {
        key: 'tenant=acme/c.parquet',
        size: 0,
        etag: '"abc-2"',
        lastModified: new Date('2026-11-23T13:00:00.000Z'),
        storageClass: undefined,
      },
    ]);
    // The listing's own <Prefix> is not a common prefix.
    assert.deepEqual(page.commonPrefixes, ['tenant=acme/date=2026-11-23/', 'tenant=acme/date=2026-11-24/']);
  });

  it('reads the last page of a listing as not truncated, with no token', () => {
    const page = parseListObjectsV2(
      '<ListBucketResult><Name>b</Name><Prefix></Prefix><KeyCount>0</KeyCount><IsTruncated>false</IsTruncated></ListBucketResult>',
    );
    assert.deepEqual(page, {
      objects: [],
      commonPrefixes: [],
      isTruncated: false,
      nextContinuationToken: undefined,
    });
  });

  it('refuses a listing entry without a key instead of inventing one', () => {
    assert.throws(
      () => parseListObjectsV2('<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>'),
      /no <Key> in <Contents>/,
    );
  });

  it('reads an error document', () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>a/b</Key><RequestId>4442587FB7D0A2F9</RequestId></Error>';
    assert.deepEqual(parseError(xml), {
      code: 'NoSuchKey',
      message: 'The specified key does not exist.',
      requestId: '4442587FB7D0A2F9',
    });
    assert.equal(parseError('<ListBucketResult></ListBucketResult>'), undefined);
    assert.equal(parseError(''), undefined);
  });

  it('reads the upload id of a new multipart upload and the ETag of a completed one', () => {
    assert.equal(
      parseInitiateMultipartUpload(
        '<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key><UploadId>VXBsb2FkIElE&amp;x</UploadId></InitiateMultipartUploadResult>',
      ),
      'VXBsb2FkIElE&x',
    );
    assert.deepEqual(
      parseCompleteMultipartUpload(
        '<CompleteMultipartUploadResult><Location>http://h/b/k</Location><Bucket>b</Bucket><Key>k</Key><ETag>&quot;3858f62230ac3c915f300c664312c11f-2&quot;</ETag></CompleteMultipartUploadResult>',
      ),
      { etag: '"3858f62230ac3c915f300c664312c11f-2"' },
    );
  });

  it('reads what a multi-object delete did and did not delete', () => {
    const result = parseDeleteObjects(
      '<DeleteResult><Deleted><Key>a</Key></Deleted><Error><Key>b&lt;1&gt;</Key><Code>AccessDenied</Code><Message>Access Denied</Message></Error></DeleteResult>',
    );
    assert.deepEqual(result, {
      deleted: ['a'],
      errors: [{ key: 'b<1>', code: 'AccessDenied', message: 'Access Denied' }],
    });
  });

  it('writes CompleteMultipartUpload with parts in ascending order and ETags escaped', () => {
    const xml = buildCompleteMultipartUpload([
      { partNumber: 2, etag: '"bbb"' },
      { partNumber: 1, etag: '"aaa"' },
    ]);
    assert.equal(
      xml,
      '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>&quot;aaa&quot;</ETag></Part>' +
        '<Part><PartNumber>2</PartNumber><ETag>&quot;bbb&quot;</ETag></Part></CompleteMultipartUpload>',
    );
  });

  it('writes a quiet multi-object delete with keys escaped', () => {
    assert.equal(
      buildDeleteObjects(['a&b', 'c']),
      '<Delete><Quiet>true</Quiet><Object><Key>a&amp;b</Key></Object><Object><Key>c</Key></Object></Delete>',
    );
  });
});
