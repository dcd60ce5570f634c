import { credentials, Metadata, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { LOGS_SERVICE } from '../service.ts';

/** A method the listener does not serve, to see it answer UNIMPLEMENTED. */
const TRACES = {
  ...LOGS_SERVICE.Export,
  path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
};
const Client = makeGenericClientConstructor({ ...LOGS_SERVICE, Traces: TRACES }, 'LogsService');
type Call = (
  body: Buffer,
  metadata: Metadata,
  done: (error: ServiceError | null, answer?: Buffer) => void,
) => void;

/**
 * A client of the OTLP logs service that sends and returns bytes, as OpenTelemetry's exporter does, so a
 * test can send any message (truncated, mistyped) with any key; `gzip` compresses every message.
 */
export function logsClient(address: string, options: { gzip?: boolean } = {}) {
  const client = new Client(
    address,
    credentials.createInsecure(),
    options.gzip ? { 'grpc.default_compression_algorithm': 2 } : {},
  ) as InstanceType<typeof Client> & Record<'Export' | 'Traces', Call>;
  return {
    /** The call's error (null on success) and answer bytes; `key` null sends no authorization. */
    call(body: Buffer, key: string | null, method: 'Export' | 'Traces' = 'Export') {
      const metadata = new Metadata();
      if (key !== null) metadata.set('authorization', `Bearer ${key}`);
      return new Promise<{ error: ServiceError | null; answer?: Buffer }>((resolve) =>
        client[method](body, metadata, (error, answer) => resolve({ error, answer })),
      );
    },
    close: () => client.close(),
  };
}
