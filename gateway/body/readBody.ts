import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { ApiError } from '../../core/http/apiError.ts';

export interface BodyLimits {
  /** Largest body on the wire, before decompression. */
  maxBodyBytes: number;
  /** Largest body after decompression: a gzip bomb stops here, not in memory. */
  maxDecodedBytes: number;
}

const gunzip = promisify(zlib.gunzip);
const inflate = promisify(zlib.inflate);
const zstdDecompress = promisify(zlib.zstdDecompress);

/**
 * Reads a request body within limits and undoes its Content-Encoding (gzip, deflate, zstd).
 * Refuses early on a declared Content-Length over the limit, and stops reading a streamed body as
 * soon as it passes the limit, so an oversized upload costs at most the limit in memory.
 */
export async function readBody(request: Request, limits: BodyLimits): Promise<Buffer> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (declared > limits.maxBodyBytes) throw tooLarge(declared, limits.maxBodyBytes);
  const raw = await readCapped(request, limits.maxBodyBytes);
  const encoding = (request.headers.get('content-encoding') ?? 'identity').trim().toLowerCase();
  return decode(raw, encoding, limits.maxDecodedBytes);
}

async function readCapped(request: Request, max: number): Promise<Buffer> {
  if (request.body === null) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = request.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => undefined); // the client is told 413; the rest is not wanted
      throw tooLarge(total, max);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

async function decode(raw: Buffer, encoding: string, maxDecoded: number): Promise<Buffer> {
  // One output chunk for a whole batch: the default 16 KiB chunks cost a thread-pool round trip each.
  const options = { maxOutputLength: maxDecoded, chunkSize: 1024 * 1024 };
  try {
    switch (encoding) {
      case 'identity':
      case '':
        return raw;
      case 'gzip':
      case 'x-gzip':
        return await gunzip(raw, options);
      case 'deflate':
        return await inflate(raw, options);
      case 'zstd':
        return await zstdDecompress(raw, options);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ApiError(
        413,
        'body_too_large',
        `decompressed body exceeds ${maxDecoded} bytes; send smaller batches`,
      );
    }
    throw new ApiError(400, 'bad_encoding', `body is not valid ${encoding}: ${(error as Error).message}`);
  }
  throw new ApiError(
    415,
    'unsupported_encoding',
    `Content-Encoding "${encoding}" is not supported; use gzip, zstd or deflate`,
  );
}

function tooLarge(size: number, max: number): ApiError {
  return new ApiError(
    413,
    'body_too_large',
    `body of ${size} bytes exceeds the limit of ${max} bytes; send smaller batches`,
  );
}
