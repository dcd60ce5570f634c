import { esBulk } from './es-bulk/protocol.ts';
import { nativeIngest } from './ingest/protocol.ts';
import type { IngestProtocol } from './ingestProtocol.ts';
import type { ListenerProtocol } from './listenerProtocol.ts';
import { lokiPush } from './loki/protocol.ts';
import { otlpLogs } from './otlp/protocol.ts';
import { otlpGrpc } from './otlp-grpc/protocol.ts';
import { splunkHec } from './splunk-hec/protocol.ts';

/** HTTP routes on the gateway's address, or a listener of its own (`listen.<key>`). */
export type Protocol = IngestProtocol<unknown> | ListenerProtocol;

/** Every ingest protocol the gateway speaks; app.ts mounts or starts each one. One line per protocol. */
// biome-ignore format: one line per protocol keeps additions one-line diffs
export const PROTOCOLS: readonly Protocol[] = [
  nativeIngest,
  otlpLogs,
  esBulk,
  lokiPush,
  splunkHec,
  otlpGrpc,
];

export const HTTP_PROTOCOLS = PROTOCOLS.filter((p): p is IngestProtocol<unknown> => 'routes' in p);
export const LISTENER_PROTOCOLS = PROTOCOLS.filter((p): p is ListenerProtocol => 'listenKey' in p);
