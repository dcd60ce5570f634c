/** The `protocol` label of the gateway's metrics for OTLP/gRPC. */
export const PROTOCOL = 'otlp_grpc';

/** The one method served: OTLP's logs export (also the `route` label of the request metrics). */
export const EXPORT_PATH = '/opentelemetry.proto.collector.logs.v1.LogsService/Export';

/**
 * The OTLP logs service for grpc-js, with no (de)serialization: the handler decodes the bytes itself,
 * with the code OTLP/HTTP protobuf uses.
 */
export const LOGS_SERVICE = {
  Export: {
    path: EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: (message: Buffer) => message,
    requestDeserialize: (bytes: Buffer) => bytes,
    responseSerialize: (message: Uint8Array) =>
      Buffer.from(message.buffer, message.byteOffset, message.byteLength),
    responseDeserialize: (bytes: Buffer) => bytes,
  },
};
