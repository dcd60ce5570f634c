import { ApiError } from '../../../core/http/apiError.ts';
import { parseJsonBody } from '../../body/jsonBody.ts';
import { problem } from '../../ingest/ingestBatch.ts';

/** Where a Loki push keeps its entries: streams, each with its values. */
const RECORD_PATH = ['streams', 'values'];

/**
 * A Loki JSON push, `{"streams":[{"stream":{label:value}, "values":[["<unix ns>", "<line>", {metadata}?]]}]}`,
 * to records, refused (413) before parsing when over `maxRecords`. Stream labels become fields
 * (`service`/`service_name`/`app`/`job` name the service), structured metadata becomes attributes.
 */
export function decodeLokiJson(raw: Buffer, maxRecords: number): unknown[] {
  return lokiRecords(parseJsonBody(raw, RECORD_PATH, maxRecords));
}

function lokiRecords(body: unknown): unknown[] {
  const streams = (body as { streams?: unknown })?.streams;
  if (!Array.isArray(streams)) throw new ApiError(400, 'malformed_loki', 'expected {"streams": [...]}');
  const records: unknown[] = [];
  for (const stream of streams) {
    const labels = (stream as { stream?: unknown })?.stream ?? {};
    const values = (stream as { values?: unknown })?.values;
    if (typeof labels !== 'object' || labels === null || !Array.isArray(values)) {
      records.push(problem('stream must have "stream" labels and a "values" array'));
      continue;
    }
    const base = lokiLabels(labels as Record<string, unknown>);
    for (const entry of values) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') {
        records.push(problem('each value must be ["<unix ns>", "<line>"]'));
        continue;
      }
      const metadata = typeof entry[2] === 'object' && entry[2] !== null ? entry[2] : {};
      records.push(lokiRecord(base, entry[0], entry[1], metadata));
    }
  }
  return records;
}

/** One entry of a stream as a record: its labels (from `lokiLabels`), time in unix ns, line, metadata. */
export function lokiRecord(
  labels: ReturnType<typeof lokiLabels>,
  ts: string,
  line: string,
  metadata: Record<string, unknown>,
): Record<string, unknown> {
  return { ...labels, attrs: { ...labels.attrs, ...metadata }, ts, message: line };
}

/** Labels that name the service, the most specific first: `job` is often the shipper's, e.g. `fluent-bit`. */
const SERVICE_LABELS = ['service', 'service_name', 'app', 'job'];
/** Labels the normalizer knows as event fields; the rest become attributes. */
const FIELD_LABELS = new Set(['level', 'host', 'hostname', 'env', 'environment']);

export function lokiLabels(
  labels: Record<string, unknown>,
): Record<string, unknown> & { attrs: Record<string, unknown> } {
  // No prototype: a label named `__proto__` is then an ordinary key, not a prototype change.
  const top: Record<string, unknown> = Object.create(null);
  const attrs: Record<string, unknown> = Object.create(null);
  // By precedence, not by the order the labels arrive in: {job, service} must name the service, not the job.
  const serviceLabel = SERVICE_LABELS.find((k) => Object.hasOwn(labels, k));
  for (const [k, v] of Object.entries(labels)) {
    if (k === serviceLabel) top.service = v;
    else if (FIELD_LABELS.has(k)) top[k] = v;
    else attrs[k] = v;
  }
  return { ...top, attrs };
}
