import type { Context, Hono } from 'hono';
import { ApiError } from '../../core/http/apiError.ts';
import type { AuthEnv } from '../../core/http/auth.ts';
import { splitLines } from '../body/lines.ts';
import { type BodyLimits, readBody } from '../body/readBody.ts';
import { type IngestDeps, type IngestOutcome, ingestBatch, problem } from '../ingest/ingestBatch.ts';

/**
 * `POST /_bulk` and `POST /{index}/_bulk`: Elasticsearch's bulk API, so Fluent Bit, Vector, Filebeat and
 * Logstash can ship with their Elasticsearch outputs. Pairs of action and document lines; `index` and
 * `create` carry a document, `delete` is refused per item (logs are append-only), `update` too.
 * The index name becomes the service when the document names none. Answers in Elasticsearch's shape.
 */
export function mountEsBulk(app: Hono<AuthEnv>, deps: IngestDeps, body: BodyLimits): void {
  const handler = async (c: Context<AuthEnv>, index?: string) => {
    const started = Date.now();
    const raw = await readBody(c.req.raw, body);
    deps.metrics.bytes.inc({ protocol: 'es_bulk' }, raw.byteLength);
    const { records, items } = parseBulk(raw, index);
    const outcome = await ingestBatch(deps, c.get('principal'), records, 'es_bulk');
    return c.json(bulkAnswer(items, outcome, Date.now() - started));
  };
  app.post('/_bulk', (c) => handler(c));
  app.post('/:index/_bulk', (c) => handler(c, c.req.param('index')));
}

interface BulkItem {
  action: string;
  index: string;
  id?: string;
  /** Position of this item's record in the records handed to ingestBatch. */
  record: number;
}

export function parseBulk(raw: Buffer, defaultIndex?: string): { records: unknown[]; items: BulkItem[] } {
  const lines = splitLines(raw);
  const records: unknown[] = [];
  const items: BulkItem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const actionLine = lines[i];
    let action: Record<string, { _index?: string; _id?: string }>;
    try {
      if (typeof actionLine !== 'string') throw new Error('not valid UTF-8');
      action = JSON.parse(actionLine);
    } catch (error) {
      throw new ApiError(
        400,
        'malformed_bulk',
        `bulk action on line ${i + 1} is not valid JSON: ${(error as Error).message}`,
      );
    }
    const name = Object.keys(action ?? {})[0];
    const meta = name === undefined ? {} : (action[name] ?? {});
    const index = meta._index ?? defaultIndex ?? 'logs';
    const hasDocument = name === 'index' || name === 'create' || name === 'update';
    let record: unknown;
    if (!hasDocument) {
      record = problem(`bulk action "${name}" is not supported: Sluice stores logs append-only`);
    } else {
      i++;
      const doc = lines[i];
      if (doc === undefined) record = problem('bulk action has no document line');
      else if (typeof doc !== 'string') record = problem('document is not valid UTF-8');
      else record = parseDocument(doc, index, name);
    }
    items.push({ action: name ?? 'index', index, id: meta._id, record: records.length });
    records.push(record);
  }
  return { records, items };
}

function parseDocument(line: string, index: string, action: string): unknown {
  if (action === 'update')
    return problem('bulk action "update" is not supported: Sluice stores logs append-only');
  try {
    const doc = JSON.parse(line);
    if (
      doc !== null &&
      typeof doc === 'object' &&
      !Array.isArray(doc) &&
      !('service' in doc) &&
      !('app' in doc)
    ) {
      return { service: index, ...doc };
    }
    return doc;
  } catch (error) {
    return problem(`document is not valid JSON: ${(error as Error).message}`);
  }
}

function bulkAnswer(items: BulkItem[], outcome: IngestOutcome, took: number) {
  const reasons = new Map(outcome.errors.map((e) => [e.index, e.reason]));
  return {
    took,
    errors: outcome.rejected > 0,
    items: items.map((item) => {
      const event = outcome.events[item.record];
      const reason = reasons.get(item.record);
      const body =
        event != null
          ? {
              _index: item.index,
              _id: event.id,
              _version: 1,
              result: 'created',
              status: 201,
              _shards: { total: 1, successful: 1, failed: 0 },
            }
          : {
              _index: item.index,
              _id: item.id ?? null,
              status: 400,
              error: { type: 'mapper_parsing_exception', reason: reason ?? 'refused' },
            };
      return { [item.action]: body };
    }),
  };
}
