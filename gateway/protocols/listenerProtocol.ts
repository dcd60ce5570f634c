import type { KeyRing } from '../../core/auth/apiKeys.ts';
import type { ServerLimits } from '../../core/http/listen.ts';
import type { Logger } from '../../core/log/logger.ts';
import type { BodyLimits } from '../body/readBody.ts';
import type { IngestDeps } from '../ingest/ingestBatch.ts';

/** What a protocol with a listener of its own shares with the gateway's HTTP routes. */
export interface ListenerContext {
  /** The same bus, limits, rate limiter and metrics as the HTTP routes: one budget per tenant. */
  ingest: IngestDeps;
  keys: KeyRing;
  body: BodyLimits;
  /** `limits.server`: connections, timeouts, per-key concurrency, as on the HTTP listener. */
  server: ServerLimits;
  /** `tls`: the listener serves TLS with the HTTP listener's certificate when set. */
  tls?: { certFile: string; keyFile: string };
  log: Logger;
}

export interface RunningListener {
  url: string;
  /** False once the listener has stopped accepting connections (readiness reports it). */
  listening(): boolean;
  /** Stops accepting, lets calls in progress finish (bounded), then closes every connection. */
  close(): Promise<void>;
}

/**
 * An ingest protocol that is not HTTP routes on the gateway's address but a listener of its own (OTLP
 * over gRPC on 4317). It starts when its `listen` key is set, in the gateway role, and decodes and
 * ingests through the same code as the HTTP protocols.
 */
export interface ListenerProtocol {
  /** The `protocol` label of the gateway's metrics. */
  name: string;
  /** Its address in sluice.yaml's `listen` section; absent there, it does not listen. */
  listenKey: 'otlp_grpc';
  start(address: string, context: ListenerContext): Promise<RunningListener>;
}
