import type { Metadata, ServerUnaryCall, sendUnaryData } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { presentedKey } from '../../../core/auth/apiKeys.ts';
import { authenticate } from '../../../core/http/auth.ts';
import { keyGate } from '../../../core/limits/keyConcurrency.ts';
import { ingestBatch } from '../../ingest/ingestBatch.ts';
import type { ListenerContext } from '../listenerProtocol.ts';
import { decodeOtlpProtobuf } from '../otlp/decode.ts';
import { otlpProtobufAnswer } from '../otlp/protocol.ts';
import { EXPORT_PATH, PROTOCOL } from './service.ts';
import { grpcFailure } from './status.ts';

/** The metadata that carries a key, read as the HTTP routes read the same headers. */
const KEY_METADATA = ['authorization', 'x-api-key'];

/**
 * `LogsService/Export`: the message (grpc-js has already undone gzip within `limits.max_body`) goes the
 * way of an OTLP/HTTP protobuf body: the key from the `authorization` metadata, the same decoder and
 * mapping, ingestBatch (record limits, rate limit, tenant, the bus), and the same ExportLogsServiceResponse
 * with `partial_success`. The call succeeds only once the bus holds the accepted records durably.
 */
export function exportHandler(context: ListenerContext) {
  const { ingest, keys, log } = context;
  const gate = keyGate(context.server.perKeyConcurrency);
  return async (call: ServerUnaryCall<Buffer, Uint8Array>, callback: sendUnaryData<Uint8Array>) => {
    const started = performance.now();
    const headers = headersOf(call.metadata);
    const key = presentedKey(headers);
    let code: status = status.OK;
    if (key !== null && !gate.enter(key)) {
      const failure = grpcFailure(gate.refusal());
      code = failure?.code ?? status.RESOURCE_EXHAUSTED;
      callback(failure);
      count(started, code);
      return;
    }
    try {
      const principal = authenticate(keys, headers, ['ingest']);
      ingest.metrics.bytes.inc({ protocol: PROTOCOL }, call.request.byteLength);
      const records = decodeOtlpProtobuf(call.request, ingest.limits.maxRecords);
      const outcome = await ingestBatch(ingest, principal, records, PROTOCOL);
      callback(null, otlpProtobufAnswer(outcome));
    } catch (error) {
      const failure = grpcFailure(error);
      if (failure === null) {
        // Not a refusal the client can act on: the details stay in the log, as on the HTTP routes.
        log.error('unhandled error', { path: EXPORT_PATH, error: (error as Error).stack ?? String(error) });
        code = status.INTERNAL;
        callback({ code, details: 'internal error; see the server log' });
      } else {
        code = failure.code;
        callback(failure);
      }
    } finally {
      if (key !== null) gate.leave(key);
    }
    count(started, code);
  };

  function count(started: number, code: status) {
    ingest.metrics.requests.inc({ route: EXPORT_PATH, status: `grpc_${status[code]}` });
    ingest.metrics.latency.observe((performance.now() - started) / 1000, { route: EXPORT_PATH });
  }
}

function headersOf(metadata: Metadata): Headers {
  const headers = new Headers();
  for (const name of KEY_METADATA) {
    const value = metadata.get(name)[0];
    if (typeof value === 'string') headers.set(name, value);
  }
  return headers;
}
