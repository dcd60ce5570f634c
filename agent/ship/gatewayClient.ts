import { readFileSync } from 'node:fs';
import { Pool } from 'undici';
import type { AgentConfig } from '../config/schema.ts';
import type { Encoding } from './compression.ts';
import { classifyResponse, type SendOutcome } from './sendOutcome.ts';
import { ShipError } from './shipError.ts';

export interface GatewayClient {
  /** POSTs one compressed NDJSON batch to `/api/v1/ingest` and classifies the answer; never throws. */
  send(body: Buffer, encoding: Encoding, signal: AbortSignal): Promise<SendOutcome>;
  /**
   * Whether the gateway looks able to take a batch now: `GET /readyz` answers 2xx (or 404, a gateway
   * or proxy without that route, where only a send can tell). Never throws; false when unreachable.
   */
  probe(signal: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 2000;

/**
 * The HTTP side: one undici Pool to the gateway's origin with keep-alive connections (one per lane),
 * so batches do not pay a TCP and TLS handshake each.
 */
export function createGatewayClient(gateway: AgentConfig['gateway'], connections: number): GatewayClient {
  const url = parseGatewayUrl(gateway.url);
  const base = url.pathname.replace(/\/+$/, '');
  const path = `${base}/api/v1/ingest`;
  const readyPath = `${base}/readyz`;
  const pool = new Pool(url.origin, {
    connections,
    // Timeouts of the gateway's answer: it replies only once the bus has the batch durably.
    headersTimeout: gateway.timeout,
    bodyTimeout: gateway.timeout,
    keepAliveTimeout: 30_000,
    connect: {
      timeout: Math.min(gateway.timeout, 10_000),
      ...(url.protocol === 'https:' ? tlsOptions(gateway.tls) : {}),
    },
  });
  const headers: Record<string, string> = {
    'content-type': 'application/x-ndjson',
    'user-agent': 'sluice-agent',
  };
  if (gateway.api_key !== undefined) headers.authorization = `Bearer ${gateway.api_key}`;
  const withEncoding: Record<Encoding, Record<string, string>> = {
    identity: headers,
    gzip: { ...headers, 'content-encoding': 'gzip' },
    zstd: { ...headers, 'content-encoding': 'zstd' },
  };

  return {
    async send(body, encoding, signal) {
      try {
        const response = await pool.request({
          method: 'POST',
          path,
          headers: withEncoding[encoding],
          body,
          signal,
        });
        // Always read the answer to its end, or the keep-alive connection cannot carry the next batch.
        const text = await response.body.text();
        const retryAfter = response.headers['retry-after'];
        return classifyResponse(
          response.statusCode,
          Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
          text,
        );
      } catch (error) {
        if (signal.aborted) return { kind: 'aborted' };
        return networkOutcome(error);
      }
    },
    async probe(signal) {
      try {
        const response = await pool.request({
          method: 'GET',
          path: readyPath,
          headers: { 'user-agent': 'sluice-agent' },
          signal,
          // A probe that hangs is as good as a no: the next one follows shortly.
          headersTimeout: PROBE_TIMEOUT_MS,
          bodyTimeout: PROBE_TIMEOUT_MS,
        });
        await response.body.dump();
        return (response.statusCode >= 200 && response.statusCode < 300) || response.statusCode === 404;
      } catch {
        // Refused, reset, timed out or aborted: not back yet; the caller keeps waiting.
        return false;
      }
    },
    close: () => pool.close(),
  };
}

function parseGatewayUrl(text: string): URL {
  try {
    return new URL(text);
  } catch (error) {
    throw new ShipError('bad_gateway_config', `gateway.url "${text}" is not a URL`, { cause: error });
  }
}

function tlsOptions(tls: AgentConfig['gateway']['tls']): { ca?: Buffer; rejectUnauthorized: boolean } {
  const options: { ca?: Buffer; rejectUnauthorized: boolean } = {
    rejectUnauthorized: !tls.insecure_skip_verify,
  };
  if (tls.ca_file !== undefined) {
    try {
      options.ca = readFileSync(tls.ca_file);
    } catch (error) {
      throw new ShipError(
        'bad_gateway_config',
        `gateway.tls.ca_file "${tls.ca_file}" cannot be read: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
  return options;
}

/** Connection refused, reset, TLS failure, timeout: the gateway may be back later, so retry. */
function networkOutcome(error: unknown): SendOutcome {
  const code = (error as { code?: unknown }).code;
  const timeout =
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT';
  return {
    kind: 'retry',
    reason: timeout ? 'timeout' : 'network',
    message: `${typeof code === 'string' ? `${code}: ` : ''}${(error as Error).message ?? String(error)}`,
    retryAfterMs: undefined,
  };
}
