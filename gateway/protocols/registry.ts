import { esBulk } from './es-bulk/protocol.ts';
import { nativeIngest } from './ingest/protocol.ts';
import type { IngestProtocol } from './ingestProtocol.ts';
import { lokiPush } from './loki/protocol.ts';
import { otlpLogs } from './otlp/protocol.ts';
import { splunkHec } from './splunk-hec/protocol.ts';

/** Every ingest protocol the gateway speaks; app.ts mounts each one's routes. One line per protocol. */
// biome-ignore format: one line per protocol keeps additions one-line diffs
export const PROTOCOLS: readonly IngestProtocol<unknown>[] = [
  nativeIngest,
  otlpLogs,
  esBulk,
  lokiPush,
  splunkHec,
];
