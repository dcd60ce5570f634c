import type { Hono, MiddlewareHandler } from 'hono';
import type { ApiError } from '../../core/http/apiError.ts';
import type { AuthEnv } from '../../core/http/auth.ts';
import type { MediaTypes } from '../body/mediaType.ts';
import type { IngestDeps, IngestOutcome } from '../ingest/ingestBatch.ts';

/** What a decoder knows of the request besides its body. */
export interface DecodeRequest {
  /** The request's media type, without parameters, lowercased ('' when absent). */
  mediaType: string;
  /** The request's path (a protocol with several routes may read them differently). */
  path: string;
  /** The route's path parameters (e.g. `index` of `/{index}/_bulk`). */
  params: Record<string, string>;
  /** The request's query string (e.g. Splunk HEC's `?sourcetype=…&host=…` for raw events). */
  query: URLSearchParams;
  /** The request's headers (e.g. Splunk HEC's `X-Splunk-Request-Channel`). */
  headers: Headers;
  /** `limits.max_records`: a decoder throws `tooManyRecords` as soon as the body passes it. */
  maxRecords: number;
  /** `limits.max_decoded_body`: the bound of a decompression the decoder does itself (Loki's snappy). */
  maxDecodedBytes: number;
}

export interface Decoded<State> {
  /** One entry per record, in order; a record already known to be bad is a `problem(reason)`. */
  records: unknown[];
  /** What the answer needs besides the outcome (e.g. the Elasticsearch bulk items). */
  state: State;
}

/**
 * One ingest protocol: its routes, the media types it takes, how a body becomes records and how it
 * answers. The gateway reads the body (gateway/body/ingestBody.ts: media type, size, encoding), checks
 * the key, hands the records to ingestBatch and answers with `answer`; a protocol does nothing else.
 */
export interface IngestProtocol<State = undefined> {
  /** The `protocol` label of the gateway's metrics. */
  name: string;
  routes: { method: 'POST'; paths: readonly string[] };
  mediaTypes: MediaTypes;
  /** Must stop at `request.maxRecords`, before parsing the rest of the body (see gateway/body/). */
  decode(body: Buffer, request: DecodeRequest): Decoded<State>;
  /** The client's answer once the accepted records are on the bus; `elapsedMs` since the request arrived. */
  answer(outcome: IngestOutcome, state: State, elapsedMs: number): Response;
  /**
   * How a refusal of its routes is answered (auth, size, rate, bus), when its clients read another
   * shape than Sluice's `{"error": …}` (Splunk HEC's `{"text", "code"}`).
   */
  refusal?(error: ApiError, request: Request): Response;
  /** Routes besides ingest that its clients call (Splunk HEC's health and acknowledgements). */
  mount?(app: Hono<AuthEnv>, context: { auth: MiddlewareHandler<AuthEnv>; deps: IngestDeps }): void;
}
