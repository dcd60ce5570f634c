/**
 * A client of the gateway's native ingest route (`POST /api/v1/ingest`, NDJSON, Bearer key), as a
 * service without an agent would ship: it resends a batch the gateway did not acknowledge (503, 429,
 * connection trouble) and fails on anything else, or when a record is refused.
 */
import { rounds, type SentEvent, toRecord } from './workload.ts';

const GIVE_UP_MS = 120_000;

export async function postBatch(
  gatewayUrl: string,
  key: string,
  records: readonly Record<string, unknown>[],
): Promise<void> {
  const body = `${records.map((r) => JSON.stringify(r)).join('\n')}\n`;
  const deadline = Date.now() + GIVE_UP_MS;
  for (let attempt = 1; ; attempt++) {
    let problem: string;
    try {
      const response = await fetch(`${gatewayUrl}/api/v1/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await response.text();
      if (response.status === 202) {
        const answer = JSON.parse(text) as { accepted: number; rejected: number };
        if (answer.accepted !== records.length || answer.rejected !== 0)
          throw new Error(`gateway accepted ${answer.accepted} of ${records.length} records: ${text}`);
        return;
      }
      if (response.status !== 503 && response.status !== 429)
        throw new Error(`gateway answered ${response.status}: ${text}`);
      problem = `${response.status} ${text}`;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('gateway ')) throw error;
      problem = (error as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(`gateway kept refusing a batch (${attempt} attempts): ${problem}`);
    await new Promise((r) => setTimeout(r, Math.min(200 * attempt, 2000)));
  }
}

/**
 * Sends `events` in rounds of 20 s of event time (one request per tenant, in parallel), each round after
 * the previous one was acknowledged, so a bus partition sees the events nearly in time order.
 * `afterRound(sent)` runs after each round with the number of events sent so far (a test hooks its
 * kills there); `pauseMs` spreads the sending over time so the workers are busy meanwhile.
 */
export async function sendEvents(
  gatewayUrl: string,
  keys: ReadonlyMap<string, string>,
  events: readonly SentEvent[],
  options: { afterRound?: (sent: number) => Promise<void>; pauseMs?: number } = {},
): Promise<void> {
  let sent = 0;
  for (const round of rounds(events)) {
    await Promise.all(
      [...round].map(([tenant, list]) =>
        postBatch(gatewayUrl, keys.get(tenant) as string, list.map(toRecord)),
      ),
    );
    for (const list of round.values()) sent += list.length;
    if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    await options.afterRound?.(sent);
  }
}
