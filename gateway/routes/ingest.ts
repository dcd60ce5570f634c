import type { Hono } from 'hono';
import { ApiError } from '../../core/http/apiError.ts';
import type { AuthEnv } from '../../core/http/auth.ts';
import { splitLines } from '../body/lines.ts';
import { type BodyLimits, mediaType, readBody } from '../body/readBody.ts';
import { type IngestDeps, ingestBatch, problem } from '../ingest/ingestBatch.ts';
import { ingestAnswer } from './respond.ts';

const NDJSON_TYPES = new Set([
  'application/x-ndjson',
  'application/ndjson',
  'application/jsonl',
  'application/x-jsonlines',
]);

/** `POST /api/v1/ingest`: NDJSON or a JSON array of records (contracts.md §2). */
export function mountNativeIngest(app: Hono<AuthEnv>, deps: IngestDeps, body: BodyLimits): void {
  app.post('/api/v1/ingest', async (c) => {
    const type = mediaType(c.req.raw);
    if (type !== 'application/json' && !NDJSON_TYPES.has(type)) {
      throw new ApiError(
        415,
        'unsupported_media_type',
        `Content-Type "${type || '(none)'}" is not accepted; send application/x-ndjson or application/json`,
      );
    }
    const raw = await readBody(c.req.raw, body);
    deps.metrics.bytes.inc({ protocol: 'native' }, raw.byteLength);
    const records = type === 'application/json' ? parseJsonBody(raw) : parseNdjson(raw);
    const outcome = await ingestBatch(deps, c.get('principal'), records, 'native');
    return ingestAnswer(outcome);
  });
}

function parseJsonBody(raw: Buffer): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new ApiError(400, 'malformed_json', `body is not valid JSON: ${(error as Error).message}`);
  }
  return Array.isArray(parsed) ? parsed : [parsed];
}

/** One record per line; a line that is not JSON is refused by index while the others go through. */
export function parseNdjson(raw: Buffer): unknown[] {
  return splitLines(raw).map((line, i) => {
    if (typeof line !== 'string') return problem(`line ${i + 1} is not valid UTF-8`);
    try {
      return JSON.parse(line);
    } catch (error) {
      return problem(`line ${i + 1} is not valid JSON: ${(error as Error).message}`);
    }
  });
}
