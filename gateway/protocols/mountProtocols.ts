import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { AuthEnv } from '../../core/http/auth.ts';
import { readIngestBody } from '../body/ingestBody.ts';
import type { BodyLimits } from '../body/readBody.ts';
import { type IngestDeps, ingestBatch } from '../ingest/ingestBatch.ts';
import type { IngestProtocol } from './ingestProtocol.ts';
import { refusalsAs } from './refusals.ts';

/**
 * Mounts each protocol's routes behind `auth`: the shared body preamble, the protocol's decoder,
 * ingestBatch (validation, rate limit, the bus), then the protocol's answer.
 */
export function mountProtocols(
  app: Hono<AuthEnv>,
  protocols: readonly IngestProtocol<unknown>[],
  auth: MiddlewareHandler<AuthEnv>,
  deps: IngestDeps,
  body: BodyLimits,
): void {
  for (const protocol of protocols) {
    const handler = async (c: Context<AuthEnv>) => {
      const started = Date.now();
      const { body: raw, mediaType } = await readIngestBody(c.req.raw, protocol.mediaTypes, body);
      deps.metrics.bytes.inc({ protocol: protocol.name }, raw.byteLength);
      const decoded = protocol.decode(raw, {
        mediaType,
        path: c.req.path,
        params: c.req.param(),
        query: new URL(c.req.url).searchParams,
        headers: c.req.raw.headers,
        maxRecords: deps.limits.maxRecords,
        maxDecodedBytes: body.maxDecodedBytes,
      });
      const outcome = await ingestBatch(deps, c.get('principal'), decoded.records, protocol.name);
      return protocol.answer(outcome, decoded.state, Date.now() - started);
    };
    const refusal = protocol.refusal && refusalsAs(protocol.refusal);
    for (const path of protocol.routes.paths) {
      if (refusal === undefined) app.on(protocol.routes.method, path, auth, handler);
      else app.on(protocol.routes.method, path, refusal, auth, handler);
    }
    protocol.mount?.(app, { auth, deps });
  }
}
