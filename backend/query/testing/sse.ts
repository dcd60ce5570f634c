import type { LogEvent } from '../../../core/event/types.ts';

export interface TailReader {
  status: number;
  events: LogEvent[];
  /** Resolves once `predicate` holds for the events read so far; rejects after `timeoutMs`. */
  until(predicate: (events: LogEvent[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/**
 * Reads `GET /api/v1/tail` the way a browser's EventSource would: `data:` lines up to a blank line are
 * one message; comments (`: ping`) and other event types are ignored. The fetch is aborted by close().
 */
export async function openTail(url: string, headers: Record<string, string>): Promise<TailReader> {
  const abort = new AbortController();
  const res = await fetch(url, { headers, signal: abort.signal });
  const events: LogEvent[] = [];
  const waiters = new Set<() => void>();
  if (res.ok && res.body !== null) {
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let pending = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          pending += value;
          let end = pending.indexOf('\n\n');
          while (end !== -1) {
            const block = pending.slice(0, end);
            pending = pending.slice(end + 2);
            const lines = block.split('\n');
            const isData = lines.every((l) => !l.startsWith('event:'));
            const data = lines
              .filter((l) => l.startsWith('data:'))
              .map((l) => l.slice(5).trimStart())
              .join('\n');
            if (isData && data !== '') events.push(JSON.parse(data) as LogEvent);
            end = pending.indexOf('\n\n');
          }
          for (const wake of waiters) wake();
        }
      } catch {
        // close() aborts the read: the stream ending is what it asked for.
      }
    })();
  } else {
    await res.body?.cancel();
  }
  return {
    status: res.status,
    events,
    until(predicate, timeoutMs = 10_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!predicate(events)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`tail condition not met within ${timeoutMs} ms; read ${events.length} events`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => abort.abort(),
  };
}
