/**
 * OpenSearch side of the pipeline benchmark: document counts, and the reference, a tuned direct `_bulk`
 * loop. The reference indexes the same documents as the indexer, built by the store's own document builder
 * (`bulkEntry`: same `_id`, same event JSON, same `search` projection) into indices from the same template
 * (`indexTemplate`: same mapping, shards, replicas), with what a hand-tuned bulk load adds: refresh off
 * while loading, bodies built before the clock starts, several large requests in flight.
 */
import { type BulkEntry, bulkEntry } from '../../../backend/engines/search/opensearch/bulkDocuments.ts';
import { indexTemplate, templateName } from '../../../backend/engines/search/opensearch/indexTemplate.ts';
import type { LogEvent } from '../../../core/event/types.ts';

export async function osRequest(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok && response.status !== 404)
    throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(json).slice(0, 500)}`);
  return json;
}

/** Documents in `<prefix>-*` after a refresh. */
export async function countDocs(url: string, prefix: string): Promise<number> {
  await osRequest(url, 'POST', `/${prefix}-*/_refresh?ignore_unavailable=true&allow_no_indices=true`);
  const body = await osRequest(
    url,
    'GET',
    `/${prefix}-*/_count?ignore_unavailable=true&allow_no_indices=true`,
  );
  return Number(body.count ?? 0);
}

/** Bodies of about `maxBytes`, built by the store's document builder. */
export function bulkBodies(prefix: string, maxBytes: number) {
  const names = new Map<string, string>();
  const bodies: Buffer[] = [];
  let parts: string[] = [];
  let size = 0;
  const cut = () => {
    if (parts.length === 0) return;
    bodies.push(Buffer.from(parts.join('')));
    parts = [];
    size = 0;
  };
  return {
    add(event: LogEvent) {
      const entry = bulkEntry(prefix, event, names);
      if (typeof entry === 'string') throw new Error(`reference: the store would refuse an event: ${entry}`);
      const { ndjson } = entry as BulkEntry;
      parts.push(ndjson);
      size += ndjson.length;
      if (size >= maxBytes) cut();
    },
    finish(): Buffer[] {
      cut();
      return bodies;
    },
  };
}

export interface ReferenceResult {
  docs: number;
  seconds: number;
  bodies: number;
  bytes: number;
}

/**
 * The reference load: the template as the store puts it but with `refresh_interval: -1`, `inFlight`
 * requests at a time, then refresh interval back to 1 s and one refresh (counted: the documents must be
 * searchable at the end, as the indexer's are within its 1 s refresh).
 */
export async function referenceLoad(
  url: string,
  prefix: string,
  bodies: Buffer[],
  inFlight: number,
  expectedDocs: number,
): Promise<ReferenceResult> {
  const template = indexTemplate({ prefix, shards: 1, replicas: 0 }) as {
    template: { settings: Record<string, unknown> };
  };
  template.template.settings.refresh_interval = '-1';
  await osRequest(url, 'PUT', `/_index_template/${templateName(prefix)}`, template);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const response = await fetch(`${url}/_bulk?filter_path=errors,items.*.error.reason`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-ndjson' },
          body,
        });
        const result = (await response.json()) as { errors?: boolean; items?: unknown[] };
        if (!response.ok || result.errors !== false)
          throw new Error(
            `reference _bulk failed (${response.status}): ${JSON.stringify(result).slice(0, 500)}`,
          );
      }
    }),
  );
  await osRequest(url, 'PUT', `/${prefix}-*/_settings`, { index: { refresh_interval: '1s' } });
  const docs = await countDocs(url, prefix);
  const seconds = (performance.now() - started) / 1000;
  if (docs !== expectedDocs)
    throw new Error(`reference indices hold ${docs} documents, expected ${expectedDocs}`);
  return { docs, seconds, bodies: bodies.length, bytes: bodies.reduce((s, b) => s + b.byteLength, 0) };
}

/** Deletes `<prefix>-*` and the prefix's template. */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  await osRequest(url, 'DELETE', `/${prefix}-*?ignore_unavailable=true&allow_no_indices=true`);
  await osRequest(url, 'DELETE', `/_index_template/${templateName(prefix)}`);
}
