import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createS3Client, encodeKey, type S3Client } from './client.ts';
import { S3Error } from './errors.ts';

// A stand-in S3 that records each request and answers from a queue, to check what the
// client sends and how it reads answers. Real-server behaviour (SigV4 checking, multipart)
// is covered against S3Proxy in test/integration/engines/s3.test.ts.
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}
interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

let server: Server;
let endpoint: string;
const seen: Seen[] = [];
const answers: Answer[] = [];

function answer(...next: Answer[]): void {
  answers.push(...next);
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

function client(): S3Client {
  return createS3Client({
    endpoint,
    region: 'us-east-1',
    accessKeyId: 'AK',
    secretAccessKey: 'SK',
    retries: 0,
  });
}

before(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      const next = answers.shift() ?? { status: 200 };
      res.writeHead(next.status, next.headers);
      res.end(next.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('S3 client requests', () => {
  it('encodes keys segment by segment, RFC 3986 style, keeping slashes', () => {
    assert.equal(
      encodeKey("tenant=acme/date=2026-11-23/a b+c!'()*.parquet"),
      'tenant%3Dacme/date%3D2026-11-23/a%20b%2Bc%21%27%28%29%2A.parquet',
    );
    assert.throws(() => encodeKey('a/../b'), /"\." or "\.\." path segment/);
    assert.throws(() => encodeKey(''), /must not be empty/);
  });

  it('puts an object path-style, signed with SigV4, with its Content-MD5 and type', async () => {
    answer({ status: 200, headers: { etag: '"e1"' } });
    const result = await client().putObject('bucket', 'dir/a b.txt', 'hello', { contentType: 'text/plain' });
    const request = seen.at(-1)!;
    assert.equal(request.method, 'PUT');
    assert.equal(request.url, '/bucket/dir/a%20b.txt');
    assert.equal(request.body.toString(), 'hello');
    assert.equal(request.headers['content-md5'], createHash('md5').update('hello').digest('base64'));
    assert.equal(request.headers['content-type'], 'text/plain');
    assert.match(
      String(request.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=AK\/\d{8}\/us-east-1\/s3\/aws4_request/,
    );
    assert.deepEqual(result, { etag: '"e1"' });
  });

  it('writes list queries with %20 for spaces, never "+"', async () => {
    answer({ status: 200, body: '<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>' });
    await client().listObjectsV2('bucket', { prefix: 'a b/', maxKeys: 10 });
    assert.equal(seen.at(-1)!.url, '/bucket?list-type=2&prefix=a%20b%2F&max-keys=10');
  });

  it('follows continuation tokens until the listing ends', async () => {
    answer(
      {
        status: 200,
        body: '<ListBucketResult><IsTruncated>true</IsTruncated><Contents><Key>a</Key><Size>1</Size><LastModified>2026-01-01T00:00:00Z</LastModified></Contents><NextContinuationToken>t+1/=</NextContinuationToken></ListBucketResult>',
      },
      {
        status: 200,
        body: '<ListBucketResult><IsTruncated>false</IsTruncated><Contents><Key>b</Key><Size>2</Size><LastModified>2026-01-01T00:00:00Z</LastModified></Contents></ListBucketResult>',
      },
    );
    const keys: string[] = [];
    for await (const object of client().listAllObjects('bucket', { prefix: 'p' })) keys.push(object.key);
    assert.deepEqual(keys, ['a', 'b']);
    assert.equal(seen.at(-1)!.url, '/bucket?list-type=2&prefix=p&continuation-token=t%2B1%2F%3D');
  });

  it('turns an error document into an S3Error with code, status, bucket and key', async () => {
    answer({
      status: 404,
      body: '<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>R1</RequestId></Error>',
    });
    await assert.rejects(client().getObject('bucket', 'missing'), (error: unknown) => {
      assert.ok(error instanceof S3Error);
      assert.equal(error.code, 'NoSuchKey');
      assert.equal(error.status, 404);
      assert.equal(error.bucket, 'bucket');
      assert.equal(error.key, 'missing');
      assert.equal(error.requestId, 'R1');
      assert.match(error.message, /GetObject bucket\/missing failed: 404 NoSuchKey/);
      return true;
    });
  });

  it('answers headObject of a missing object with undefined, and other HEAD failures with an error', async () => {
    answer({ status: 404 }, { status: 403 });
    assert.equal(await client().headObject('bucket', 'missing'), undefined);
    await assert.rejects(client().headObject('bucket', 'secret'), {
      name: 'S3Error',
      code: 'Forbidden',
      status: 403,
    });
  });

  it('fails a CompleteMultipartUpload that answered 200 with an error inside', async () => {
    answer({
      status: 200,
      body: '<Error><Code>InternalError</Code><Message>We encountered an internal error.</Message></Error>',
    });
    await assert.rejects(
      client().completeMultipartUpload('bucket', 'big', 'u1', [{ partNumber: 1, etag: '"x"' }]),
      {
        code: 'InternalError',
        status: 200,
      },
    );
    assert.equal(seen.at(-1)!.url, '/bucket/big?uploadId=u1');
  });

  it('reports the keys a multi-object delete could not remove', async () => {
    answer({
      status: 200,
      body: '<DeleteResult><Error><Key>k2</Key><Code>AccessDenied</Code><Message>no</Message></Error></DeleteResult>',
    });
    await assert.rejects(client().deleteObjects('bucket', ['k1', 'k2']), { code: 'AccessDenied', key: 'k2' });
    const request = seen.at(-1)!;
    assert.equal(request.url, '/bucket?delete=');
    assert.equal(request.headers['content-md5'], createHash('md5').update(request.body).digest('base64'));
  });

  it('sends a byte range for a partial read', async () => {
    answer({ status: 206, body: 'ell' });
    const result = await client().getObject('bucket', 'k', { range: { start: 1, end: 3 } });
    assert.equal(seen.at(-1)!.headers.range, 'bytes=1-3');
    assert.equal(new TextDecoder().decode(result.body), 'ell');
  });

  it('says which endpoint did not answer, and why', async () => {
    const port = await closedPort();
    const closed = createS3Client({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      accessKeyId: 'AK',
      secretAccessKey: 'SK',
    });
    await assert.rejects(closed.headObject('bucket', 'k'), (error: unknown) => {
      assert.ok(error instanceof S3Error);
      assert.equal(error.code, 'NetworkError');
      assert.equal(error.status, 0);
      assert.equal(
        error.message,
        `S3 HeadObject bucket/k failed: NetworkError: no answer from http://127.0.0.1:${port} (ECONNREFUSED)`,
      );
      return true;
    });
  });
});
