import type { LogEvent } from '../../core/event/types.ts';
import type { Logger } from '../../core/log/logger.ts';
import type { Bus, Consumer } from '../../core/ports/bus.ts';
import type { Scope } from './scope.ts';

export interface TailSubscriber {
  scope: Scope;
  /** Name of the key that opened the tail, for the per-key cap. */
  key: string;
  matches: (event: LogEvent) => boolean;
  /** Called with matching events; must only queue them (never block the hub). */
  push: (events: LogEvent[]) => void;
}

export interface TailHub {
  subscribe(subscriber: TailSubscriber): () => void;
  /** Live tails that `which` picks, for the per-key and per-tenant caps. */
  count(which: (subscriber: TailSubscriber) => boolean): number;
  close(): Promise<void>;
}

const decoder = new TextDecoder();

/**
 * One consumer of logs.enriched per query process, starting at the end of the log, fanning events out to
 * every live tail. Its group is this process's own, so tails never take records from the real sinks, and
 * nothing is decoded while nobody tails.
 */
export async function startTailHub(bus: Bus, topic: string, group: string, log: Logger): Promise<TailHub> {
  const subscribers = new Set<TailSubscriber>();
  const consumer: Consumer = await bus.consume({
    group,
    topics: [topic],
    fromBeginning: false,
    maxBatchRecords: 2000,
    handler: async (batch) => {
      if (subscribers.size === 0) return;
      const events: LogEvent[] = [];
      for (const r of batch.records) {
        try {
          events.push(JSON.parse(decoder.decode(r.value)));
        } catch {
          // logs.enriched holds what the processor validated; an unreadable record is skipped for tail only.
        }
      }
      for (const s of subscribers) {
        const mine = events.filter(
          (e) =>
            (s.scope.tenant === null || e.tenant === s.scope.tenant) &&
            (s.scope.services === undefined || s.scope.services.includes(e.service)) &&
            s.matches(e),
        );
        if (mine.length > 0) s.push(mine);
      }
    },
  });
  log.info('live tail ready', { topic, group });
  return {
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => subscribers.delete(subscriber);
    },
    count(which) {
      let n = 0;
      for (const s of subscribers) if (which(s)) n++;
      return n;
    },
    close: () => consumer.stop(),
  };
}
