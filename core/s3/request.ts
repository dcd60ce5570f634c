/**
 * One signed S3 request: builds the URL (path-style or virtual-host, keys and query
 * RFC 3986-encoded as SigV4 wants), signs it with aws4fetch, and turns every failure
 * (no answer, or an S3 error document) into an S3Error.
 */
import { createHash } from 'node:crypto';
import { AwsClient } from 'aws4fetch';
import { codeForStatus, S3Error } from './errors.ts';
import { parseError } from './responses.ts';

export interface S3ConnectionOptions {
  /** `http://127.0.0.1:9000`, `https://s3.eu-west-1.amazonaws.com`, … */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  /** `path` (default): `endpoint/bucket/key`, what S3-compatible stores expect; `virtual-host`: `bucket.endpoint/key`. */
  addressing?: 'path' | 'virtual-host';
  /** Retries of 5xx and 429 answers, with exponential backoff. Default 3. */
  retries?: number;
  /** Per request, including retries. Default 60 s. */
  timeoutMs?: number;
}

export interface RequestSpec {
  operation: string;
  method: 'GET' | 'PUT' | 'POST' | 'HEAD' | 'DELETE';
  bucket: string;
  key?: string;
  query?: Record<string, string | number | undefined>;
  headers?: Record<string, string>;
  body?: Uint8Array;
}

export interface S3Requester {
  /** The successful response; anything else throws an S3Error. */
  send(spec: RequestSpec): Promise<Response>;
  /** send(), then the body as text. */
  sendText(spec: RequestSpec): Promise<string>;
  /** send() with Content-MD5 for the body; resolves to the ETag. */
  upload(spec: RequestSpec & { body: Uint8Array }): Promise<string>;
}

/** RFC 3986 encoding, which SigV4's canonical request requires (encodeURIComponent leaves !'()* alone). */
function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

export function encodeKey(key: string): string {
  if (key.length === 0) throw new TypeError('S3 object key must not be empty');
  return key
    .split('/')
    .map((segment) => {
      // A URL parser resolves these (even percent-encoded), so the request would name another key.
      if (segment === '.' || segment === '..') {
        throw new TypeError(
          `S3 key ${JSON.stringify(key)} has a "." or ".." path segment, which a URL cannot carry`,
        );
      }
      return encodeRfc3986(segment);
    })
    .join('/');
}

/** S3 checks Content-MD5 and refuses a body that arrived different (BadDigest). */
export function contentMd5(body: Uint8Array): string {
  return createHash('md5').update(body).digest('base64');
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, ENOTFOUND, …) is further down the cause chain. */
function networkFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current instanceof AggregateError ? current.errors[0] : current.cause;
  }
  return current instanceof Error ? current.message : String(current ?? (error as Error).message);
}

export function createRequester(options: S3ConnectionOptions): S3Requester {
  const aws = new AwsClient({
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
    sessionToken: options.sessionToken,
    service: 's3',
    region: options.region,
    retries: options.retries ?? 3,
  });
  const endpoint = new URL(options.endpoint);
  const timeoutMs = options.timeoutMs ?? 60_000;
  const virtualHost = options.addressing === 'virtual-host';

  function urlOf(spec: RequestSpec): string {
    const base = endpoint.pathname.replace(/\/$/, '');
    const keyPath = spec.key === undefined ? '' : `/${encodeKey(spec.key)}`;
    const host = virtualHost ? `${spec.bucket}.${endpoint.host}` : endpoint.host;
    const path = virtualHost
      ? `${base}${keyPath || '/'}`
      : `${base}/${encodeURIComponent(spec.bucket)}${keyPath}`;
    // Built by hand: URLSearchParams writes spaces as '+', which S3 does not read as a space.
    const query = Object.entries(spec.query ?? {})
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([name, value]) => `${encodeRfc3986(name)}=${encodeRfc3986(String(value))}`)
      .join('&');
    return `${endpoint.protocol}//${host}${path}${query ? `?${query}` : ''}`;
  }

  async function send(spec: RequestSpec): Promise<Response> {
    const where = { operation: spec.operation, bucket: spec.bucket, key: spec.key };
    let response: Response;
    try {
      response = await aws.fetch(urlOf(spec), {
        method: spec.method,
        headers: spec.headers,
        body: spec.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (cause) {
      const reason = networkFailure(cause, timeoutMs);
      throw new S3Error({
        ...where,
        code: 'NetworkError',
        status: 0,
        message: `no answer from ${endpoint.origin} (${reason})`,
        cause,
      });
    }
    if (response.ok) return response;
    const text = spec.method === 'HEAD' ? '' : await response.text();
    const error = parseError(text);
    throw new S3Error({
      ...where,
      status: response.status,
      code: error?.code ?? codeForStatus(response.status),
      message: error?.message || response.statusText || text.slice(0, 200),
      requestId: error?.requestId ?? response.headers.get('x-amz-request-id') ?? undefined,
    });
  }

  async function sendText(spec: RequestSpec): Promise<string> {
    return (await send(spec)).text();
  }

  async function upload(spec: RequestSpec & { body: Uint8Array }): Promise<string> {
    const response = await send({
      ...spec,
      headers: { ...spec.headers, 'content-md5': contentMd5(spec.body) },
    });
    await response.body?.cancel();
    return response.headers.get('etag') ?? '';
  }

  return { send, sendText, upload };
}
