import type { AgentConfig } from '../config/schema.ts';
import { createGatewayClient } from '../ship/gatewayClient.ts';
import type { SendOutcome } from '../ship/sendOutcome.ts';
import type { CheckResult } from './checkResult.ts';

/** The check waits no longer than this for the gateway, whatever gateway.timeout allows a batch. */
const CHECK_TIMEOUT_MS = 10_000;

/**
 * Sends the gateway an empty batch, as the shipper sends batches (same URL, key, TLS): a Sluice gateway
 * authenticates the key and its ingest role first and answers 202 with nothing stored, so this proves
 * the gateway is reachable and takes this agent's batches without ingesting anything.
 */
export async function checkGateway(gateway: AgentConfig['gateway']): Promise<CheckResult> {
  const component = `gateway ${gateway.url}`;
  let outcome: SendOutcome;
  try {
    const client = createGatewayClient(gateway, 1);
    try {
      const timeout = Math.min(gateway.timeout, CHECK_TIMEOUT_MS);
      outcome = await client.send(Buffer.alloc(0), 'identity', AbortSignal.timeout(timeout));
      if (outcome.kind === 'aborted') {
        outcome = {
          kind: 'retry',
          reason: 'timeout',
          message: `no answer within ${timeout} ms`,
          retryAfterMs: undefined,
        };
      }
    } finally {
      await client.close();
    }
  } catch (error) {
    // Only configuration the client cannot use (a CA file it cannot read) throws.
    return { component, status: 'fail', detail: (error as Error).message };
  }
  return { component, ...judge(outcome, gateway) };
}

function judge(
  outcome: SendOutcome,
  gateway: AgentConfig['gateway'],
): Pick<CheckResult, 'status' | 'detail'> {
  const hasKey = gateway.api_key !== undefined;
  switch (outcome.kind) {
    case 'acked':
    case 'all_rejected':
      return { status: 'ok', detail: 'reachable, and it accepts batches from this agent (HTTP 202)' };
    case 'misconfigured':
      if (outcome.status === 401)
        return {
          status: 'fail',
          detail: hasKey
            ? `the gateway refuses gateway.api_key (HTTP 401: ${outcome.message}); use a key listed under the server's auth.keys`
            : `the gateway wants a key (HTTP 401): set gateway.api_key to a key with the ingest role`,
        };
      if (outcome.status === 403)
        return {
          status: 'fail',
          detail: `the key may not ingest (HTTP 403: ${outcome.message}); use a key with the ingest role`,
        };
      return {
        status: 'fail',
        detail: `HTTP ${outcome.status} at ${gateway.url.replace(/\/+$/, '')}/api/v1/ingest (${outcome.message}); check that gateway.url is a Sluice gateway`,
      };
    case 'retry':
      return {
        status: 'fail',
        detail:
          outcome.reason === 'network' || outcome.reason === 'timeout'
            ? `unreachable (${outcome.message}); check gateway.url and that the gateway runs (the agent would spool until it answers)`
            : `answered ${outcome.reason.replace('http_', 'HTTP ')} (${outcome.message}); the gateway is not ready`,
      };
    case 'too_large':
    case 'unsupported_encoding':
    case 'refused':
      return {
        status: 'fail',
        detail: `refused an empty batch (${outcome.message}); is gateway.url a Sluice gateway?`,
      };
    case 'aborted':
      return { status: 'fail', detail: 'no answer' };
  }
}
