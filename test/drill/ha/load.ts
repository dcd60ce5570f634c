/**
 * The drill's agents: the agent's own shipping code (agent/ship/gatewayClient.ts and sendOutcome.ts, with
 * its retry policy) sending batches at a steady rate through the balancer, each batch retried until the
 * gateway acknowledges it, every attempt recorded. Event ids are fixed when a batch is made, so a retry
 * resends the same events, as the agent does with its stable ids.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { AgentConfig } from '../../../agent/config/schema.ts';
import { createGatewayClient, type GatewayClient } from '../../../agent/ship/gatewayClient.ts';
import { retryDelay } from '../../../core/backoff/backoff.ts';

/** One HTTP request of an agent: when, how long, and what came of it. */
export interface Attempt {
  start: number;
  end: number;
  /** ok: 202; delayed: 503 with Retry-After (the agent waits and resends); failed: anything else. */
  outcome: 'ok' | 'delayed' | 'failed';
  detail: string;
}

/** One batch from its first attempt to its acknowledgement. */
export interface Delivery {
  first: number;
  acked: number;
  events: number;
  attempts: number;
}

export interface LoadOptions {
  gatewayUrl: string;
  service: string;
  agents: number;
  /** Batches per second of each agent. */
  batchesPerSecond: number;
  eventsPerBatch: number;
  /** Event time: this far in the past, so the archive's hour is over and its files are written within seconds. */
  eventAgeMs: number;
}

export interface Load {
  attempts: Attempt[];
  deliveries: Delivery[];
  /** Events the gateway acknowledged (each counted once, however many attempts it took). */
  acknowledged(): number;
  /** Stops making batches and waits until every batch made is acknowledged. */
  stop(): Promise<void>;
}

const RETRY = { baseMs: 250, maxMs: 5000, maxRetryAfterMs: 30_000 };
/** What the agent waits for an answer before it gives the attempt up (agent `gateway.timeout`). */
const TIMEOUT_MS = 30_000;

export function startLoad(options: LoadOptions): Load {
  const attempts: Attempt[] = [];
  const deliveries: Delivery[] = [];
  let acked = 0;
  let stopping = false;
  const gateway = { url: options.gatewayUrl, timeout: TIMEOUT_MS, tls: {} } as AgentConfig['gateway'];

  const runAgent = async (agent: number): Promise<void> => {
    const client = createGatewayClient(gateway, 2);
    const everyMs = 1000 / options.batchesPerSecond;
    let due = performance.now();
    let seq = 0;
    try {
      while (!stopping) {
        // A steady rate: the next batch is due a fixed interval after the last one was due; a batch that
        // took longer (a retry) leaves a backlog that goes out at once, as an agent's spool does.
        const wait = due - performance.now();
        if (wait > 0) await delay(wait);
        due += everyMs;
        const body = batchBody(options, agent, seq++);
        await deliver(client, body, options.eventsPerBatch);
      }
    } finally {
      await client.close();
    }
  };

  const deliver = async (client: GatewayClient, body: Buffer, events: number): Promise<void> => {
    const first = Date.now();
    for (let attempt = 0; ; attempt++) {
      const start = Date.now();
      const outcome = await client.send(body, 'identity', AbortSignal.timeout(TIMEOUT_MS + 1000));
      const end = Date.now();
      if (outcome.kind === 'acked') {
        attempts.push({ start, end, outcome: 'ok', detail: '202' });
        acked += outcome.accepted;
        if (outcome.accepted !== events) {
          throw new Error(
            `the gateway accepted ${outcome.accepted} of ${events}: ${JSON.stringify(outcome.errors)}`,
          );
        }
        deliveries.push({ first, acked: end, events, attempts: attempt + 1 });
        return;
      }
      if (outcome.kind !== 'retry')
        throw new Error(`the gateway refused a drill batch: ${JSON.stringify(outcome)}`);
      const delayed = outcome.reason === 'http_503' && outcome.retryAfterMs !== undefined;
      attempts.push({
        start,
        end,
        outcome: delayed ? 'delayed' : 'failed',
        detail: `${outcome.reason}: ${outcome.message.slice(0, 120)}`,
      });
      await delay(retryDelay(attempt, outcome.retryAfterMs, RETRY));
    }
  };

  const running = Array.from({ length: options.agents }, (_, agent) => runAgent(agent));
  return {
    attempts,
    deliveries,
    acknowledged: () => acked,
    async stop() {
      stopping = true;
      await Promise.all(running);
    },
  };
}

const runId = randomUUID().slice(0, 8);

function batchBody(options: LoadOptions, agent: number, seq: number): Buffer {
  const ts = new Date(Date.now() - options.eventAgeMs).toISOString();
  const lines: string[] = [];
  for (let i = 0; i < options.eventsPerBatch; i++) {
    lines.push(
      JSON.stringify({
        id: `${runId}-${agent}-${seq}-${i}`,
        ts,
        service: options.service,
        host: `drill-agent-${agent}`,
        level: i % 10 === 0 ? 'error' : 'info',
        message: `drill event ${seq} ${i} from agent ${agent}`,
        attrs: { batch: seq },
      }),
    );
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

/**
 * Sends one event and returns when it was acknowledged (the freshness probe). Its time is as old as the
 * load's events: a newer one in their partition would move the window clock on and make them late.
 */
export async function sendProbe(
  gatewayUrl: string,
  service: string,
  marker: string,
  eventAgeMs: number,
): Promise<number> {
  const client = createGatewayClient(
    { url: gatewayUrl, timeout: TIMEOUT_MS, tls: {} } as AgentConfig['gateway'],
    1,
  );
  try {
    const body = Buffer.from(
      `${JSON.stringify({ ts: new Date(Date.now() - eventAgeMs).toISOString(), service, message: `probe ${marker}`, attrs: { probe: marker } })}\n`,
    );
    for (let attempt = 0; ; attempt++) {
      const outcome = await client.send(body, 'identity', AbortSignal.timeout(TIMEOUT_MS));
      if (outcome.kind === 'acked') return Date.now();
      await delay(retryDelay(attempt, outcome.kind === 'retry' ? outcome.retryAfterMs : undefined, RETRY));
    }
  } finally {
    await client.close();
  }
}
