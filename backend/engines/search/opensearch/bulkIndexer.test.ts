import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errors } from '@opensearch-project/opensearch';
import type { LogEvent } from '../../../../core/event/types.ts';
import { silentLogger } from '../../../../core/log/logger.ts';
import type { BulkEntry } from './bulkDocuments.ts';
import { type BulkIndexerOptions, type BulkResponse, indexInBulk } from './bulkIndexer.ts';
import { SearchUnavailableError } from './client.ts';

function events(count: number): LogEvent[] {
  return Array.from({ length: count }, (_, i) => ({ id: `e${i}` }) as LogEvent);
}

/** A fake serializer: the body line is the id, padded to `size`; ids ending in 'x' cannot be built. */
const build =
  (size = 10) =>
  (event: LogEvent): BulkEntry | string =>
    event.id.endsWith('x') ? 'unbuildable' : { event, bytes: Buffer.from(`${event.id.padEnd(size, ' ')}\n`) };

/** Ids in a body this fake received, in order. */
const idsIn = (body: Buffer) =>
  body
    .toString()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.trim());

function options(
  send: (body: Buffer) => Promise<BulkResponse>,
  extra: Partial<BulkIndexerOptions> = {},
): BulkIndexerOptions {
  return {
    send,
    maxRequestBytes: 1 << 20,
    concurrency: 2,
    maxAttempts: 4,
    backoff: { baseMs: 1, maxMs: 2 },
    log: silentLogger,
    ...extra,
  };
}

const item = (status: number, type?: string) => ({
  create: { status, ...(type ? { error: { type, reason: `${type} reason` } } : {}) },
});

describe('bulk indexer', () => {
  it('retries only the items refused for now, counts 409 as indexed and rejects mapping errors', async () => {
    const bodies: string[][] = [];
    const send = async (body: Buffer): Promise<BulkResponse> => {
      const ids = idsIn(body);
      bodies.push(ids);
      if (bodies.length > 1) return { errors: false };
      return {
        errors: true,
        items: ids.map((id) =>
          id === 'e1'
            ? item(429, 'es_rejected_execution_exception')
            : id === 'e2'
              ? item(400, 'mapper_parsing_exception')
              : id === 'e3'
                ? item(409, 'version_conflict_engine_exception')
                : item(201),
        ),
      };
    };
    const result = await indexInBulk(events(5), build(), options(send));
    assert.deepEqual(bodies, [['e0', 'e1', 'e2', 'e3', 'e4'], ['e1']]);
    assert.equal(result.indexed, 4);
    assert.deepEqual(
      result.rejected.map((r) => [r.event.id, r.reason]),
      [['e2', '400 mapper_parsing_exception: mapper_parsing_exception reason']],
    );
  });

  it('retries a request that failed as a whole (connection lost, 429) and then succeeds', async () => {
    let calls = 0;
    const send = async (): Promise<BulkResponse> => {
      calls++;
      if (calls === 1) throw new errors.ConnectionError('socket hang up', undefined as never);
      if (calls === 2)
        throw new errors.ResponseError({
          body: { status: 429 },
          statusCode: 429,
          headers: {},
          warnings: null,
          meta: {},
        } as never);
      return { errors: false };
    };
    const result = await indexInBulk(events(3), build(), options(send));
    assert.equal(calls, 3);
    assert.equal(result.indexed, 3);
  });

  it('gives up after maxAttempts with SearchUnavailableError instead of looping forever', async () => {
    let calls = 0;
    const send = async (body: Buffer): Promise<BulkResponse> => {
      calls++;
      return { errors: true, items: idsIn(body).map(() => item(503, 'unavailable_shards_exception')) };
    };
    await assert.rejects(indexInBulk(events(2), build(), options(send)), SearchUnavailableError);
    assert.equal(calls, 4);
  });

  it('does not retry a request OpenSearch refused outright', async () => {
    let calls = 0;
    const send = async (): Promise<BulkResponse> => {
      calls++;
      throw new errors.ResponseError({
        body: { status: 400 },
        statusCode: 400,
        headers: {},
        warnings: null,
        meta: {},
      } as never);
    };
    await assert.rejects(indexInBulk(events(2), build(), options(send)), errors.ResponseError);
    assert.equal(calls, 1);
  });

  it('splits a big batch into bounded requests and keeps several in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const sizes: number[] = [];
    const send = async (body: Buffer): Promise<BulkResponse> => {
      inFlight++;
      most = Math.max(most, inFlight);
      sizes.push(body.length);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return { errors: false };
    };
    const result = await indexInBulk(
      events(4000),
      build(1000),
      options(send, { maxRequestBytes: 600_000, concurrency: 3 }),
    );
    assert.equal(result.indexed, 4000);
    assert.ok(sizes.every((size) => size <= 600_000));
    assert.ok(sizes.length >= 7);
    assert.equal(most, 3);
  });

  it('returns events that cannot be serialized in rejected without sending them', async () => {
    const bodies: string[][] = [];
    const send = async (body: Buffer): Promise<BulkResponse> => {
      bodies.push(idsIn(body));
      return { errors: false };
    };
    const batch = [...events(2), { id: 'e2x' } as LogEvent];
    const result = await indexInBulk(batch, build(), options(send));
    assert.deepEqual(bodies, [['e0', 'e1']]);
    assert.deepEqual(result, { indexed: 2, rejected: [{ event: batch[2], reason: 'unbuildable' }] });
  });
});
