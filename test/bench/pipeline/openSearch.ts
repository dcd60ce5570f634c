/**
 * OpenSearch side of the pipeline benchmark: document counts, and the reference, a tuned direct `_bulk`
 * loop. The reference indexes the same documents as the indexer, built by the store's own document builder
 * (`bulkEntry`: same `_id`, same event JSON, same `search` projection) into indices from the same template
 * (`indexTemplate`: same mapping, shards, replicas, refresh interval), with what a hand-tuned bulk load
 * adds: bodies built before the clock starts, several large requests in flight.
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

/**
 * Documents OpenSearch has indexed into `<prefix>-*` (primaries' `index_total`): it counts each document as
 * its shard takes it, refresh or not, and not the 409s of a redelivery, so it measures indexing progress.
 */
export async function indexedDocs(url: string, prefix: string): Promise<number> {
  const body = (await osRequest(
    url,
    'GET',
    `/${prefix}-*/_stats/indexing?ignore_unavailable=true&allow_no_indices=true&filter_path=_all.primaries.indexing.index_total`,
  )) as { _all?: { primaries?: { indexing?: { index_total?: number } } } };
  return body._all?.primaries?.indexing?.index_total ?? 0;
}

/**
 * Samples OpenSearch's write thread pool every `everyMs` from the first moment it is busy: the share of
 * samples with nothing active or queued says how long OpenSearch waited for work (other users of the
 * shared cluster count as busy, so it is a lower bound).
 */
export function writePoolSampler(url: string, everyMs = 100) {
  let samples = 0;
  let idle = 0;
  let started = false;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        const body = (await osRequest(
          url,
          'GET',
          '/_nodes/stats/thread_pool?filter_path=nodes.*.thread_pool.write',
        )) as { nodes?: Record<string, { thread_pool: { write: { active: number; queue: number } } }> };
        const busy = Object.values(body.nodes ?? {}).some(
          (n) => n.thread_pool.write.active + n.thread_pool.write.queue > 0,
        );
        started ||= busy;
        if (started && !stopped) {
          samples++;
          if (!busy) idle++;
        }
      } catch {
        // a missed sample
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    /** Stops sampling; the idle share of the samples taken since OpenSearch was first busy. */
    async stop(): Promise<{ samples: number; idleShare: number }> {
      stopped = true;
      await loop; // idempotent: a second stop reads the same figures
      return { samples, idleShare: samples === 0 ? 0 : idle / samples };
    },
  };
}

/** Bodies of about `maxBytes`, built by the store's document builder. */
export function bulkBodies(prefix: string, maxBytes: number) {
  const names = new Map<string, string>();
  const bodies: Buffer[] = [];
  let parts: Uint8Array[] = [];
  let size = 0;
  const cut = () => {
    if (parts.length === 0) return;
    bodies.push(Buffer.concat(parts));
    parts = [];
    size = 0;
  };
  return {
    add(event: LogEvent) {
      const entry = bulkEntry(prefix, event, names);
      if (typeof entry === 'string') throw new Error(`reference: the store would refuse an event: ${entry}`);
      const { bytes } = entry as BulkEntry;
      parts.push(bytes);
      size += bytes.length;
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
  /** Share of the run OpenSearch's write pool had nothing to do (writePoolSampler). */
  openSearchIdle: number;
  seconds: number;
  bodies: number;
  bytes: number;
}

/**
 * The reference load: fresh indices from the template exactly as the store puts it (refresh 1 s, as the
 * indexer's), `inFlight` requests at a time. Timed from the first request to the last answer, as the
 * indexer is timed from its first document indexed to its last; the count (after a refresh) is outside.
 */
export async function referenceLoad(
  url: string,
  prefix: string,
  bodies: Buffer[],
  inFlight: number,
  expectedDocs: number,
): Promise<ReferenceResult> {
  await osRequest(
    url,
    'PUT',
    `/_index_template/${templateName(prefix)}`,
    indexTemplate({ prefix, shards: 1, replicas: 0 }),
  );
  let next = 0;
  const sampler = writePoolSampler(url);
  const started = performance.now();
  let ended = 0;
  const sent = Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < bodies.length) await sendReferenceBody(url, bodies[next++]);
    }),
  ).finally(() => {
    ended = performance.now();
  });
  await sent.finally(() => sampler.stop());
  const seconds = (ended - started) / 1000;
  const { idleShare } = await sampler.stop();
  const docs = await countDocs(url, prefix);
  if (docs !== expectedDocs)
    throw new Error(`reference indices hold ${docs} documents, expected ${expectedDocs}`);
  return {
    docs,
    openSearchIdle: idleShare,
    seconds,
    bodies: bodies.length,
    bytes: bodies.reduce((s, b) => s + b.byteLength, 0),
  };
}

/**
 * One reference body, sent again if the connection failed (an overloaded machine resets some): `create`
 * makes that idempotent, so items already there (409) count as done, as the indexer counts them.
 */
async function sendReferenceBody(url: string, body: Buffer): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    let response: Response;
    try {
      response = await fetch(`${url}/_bulk?filter_path=errors,items.*.status,items.*.error.reason`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body,
      });
    } catch (error) {
      if (attempt >= 3) throw error;
      continue;
    }
    const result = (await response.json()) as {
      errors?: boolean;
      items?: Array<Record<string, { status: number }>>;
    };
    const done = (item: Record<string, { status: number }>) =>
      Object.values(item).every((x) => x.status === 201 || x.status === 409);
    if (response.ok && (result.errors === false || (result.items ?? []).every(done))) return;
    throw new Error(`reference _bulk failed (${response.status}): ${JSON.stringify(result).slice(0, 500)}`);
  }
}

/** Deletes `<prefix>-*` and the prefix's template. */
export async function dropPrefix(url: string, prefix: string): Promise<void> {
  await osRequest(url, 'DELETE', `/${prefix}-*?ignore_unavailable=true&allow_no_indices=true`);
  await osRequest(url, 'DELETE', `/_index_template/${templateName(prefix)}`);
}
