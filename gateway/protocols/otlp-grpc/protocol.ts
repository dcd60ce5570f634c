import type { ListenerProtocol } from '../listenerProtocol.ts';
import { PROTOCOL } from './service.ts';

/**
 * OTLP over gRPC (`opentelemetry.proto.collector.logs.v1.LogsService/Export`) on its own listener,
 * `listen.otlp_grpc` (OTLP's port is 4317), for SDKs and Collectors whose exporter speaks gRPC (the
 * Collector's `otlp` exporter does by default). Same keys (`authorization` metadata), limits, mapping
 * and answer as OTLP/HTTP protobuf.
 */
export const otlpGrpc: ListenerProtocol = {
  name: PROTOCOL,
  listenKey: 'otlp_grpc',
  // Loaded only where the listener is configured: a gateway without it never loads grpc-js.
  start: async (address, context) => (await import('./listener.ts')).startOtlpGrpcListener(address, context),
};
