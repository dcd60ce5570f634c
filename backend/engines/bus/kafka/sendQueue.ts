import type { BusRecord } from '../../../../core/ports/bus.ts';

/** One record as both Kafka clients take it: the key as text, the value as bytes, headers as text. */
export interface OutgoingMessage {
  key: string;
  value: Buffer;
  headers?: Record<string, string>;
}

interface PendingSend {
  topic: string;
  messages: OutgoingMessage[];
  bytes: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/** Uncompressed bytes of record values coalesced into one produce request. */
const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

/**
 * The produce path both Kafka adapters share. An idempotent producer keeps one request in flight (the
 * broker orders a producer's batches by sequence number), so concurrent produce() calls are coalesced:
 * while one send is in flight the next calls queue up and go out together as one request, bounded in
 * size. `send` gets the queued records by topic; when it throws, every caller of that request is
 * rejected with what `failure` makes of the error (the adapters replace their producer there).
 */
export function coalescingSender(
  send: (byTopic: Map<string, OutgoingMessage[]>) => Promise<void>,
  failure: (error: unknown, records: number) => Error,
): (topic: string, records: BusRecord[]) => Promise<void> {
  const queue: PendingSend[] = [];
  let sending = false;

  async function drain(): Promise<void> {
    if (sending) return;
    sending = true;
    try {
      while (queue.length > 0) {
        // One huge request would exceed the broker's message.max.bytes and take long enough to time out.
        let take = 0;
        let bytes = 0;
        while (take < queue.length && (take === 0 || bytes + queue[take].bytes <= MAX_REQUEST_BYTES)) {
          bytes += queue[take].bytes;
          take++;
        }
        const batch = queue.splice(0, take);
        const byTopic = new Map<string, OutgoingMessage[]>();
        for (const p of batch) {
          const list = byTopic.get(p.topic);
          if (list === undefined) byTopic.set(p.topic, p.messages.slice());
          else for (const m of p.messages) list.push(m);
        }
        try {
          await send(byTopic);
          for (const p of batch) p.resolve();
        } catch (error) {
          const e = failure(error, batch.length);
          for (const p of batch) p.reject(e);
        }
      }
    } finally {
      sending = false;
    }
  }

  return (topic, records) => {
    let bytes = 0;
    let buffers = true;
    for (const r of records) {
      bytes += r.value.byteLength + r.key.length;
      buffers &&= Buffer.isBuffer(r.value);
    }
    // Records whose values are Buffers already (the gateway's) are sent as they are: no copy per record.
    const messages = buffers
      ? (records as OutgoingMessage[])
      : records.map(
          (r): OutgoingMessage => ({
            key: r.key,
            value: Buffer.isBuffer(r.value)
              ? r.value
              : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength),
            headers: r.headers,
          }),
        );
    const done = new Promise<void>((resolve, reject) =>
      queue.push({ topic, messages, bytes, resolve, reject }),
    );
    void drain();
    return done;
  };
}

/** Rejects with a timeout error when `promise` has not settled within `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
