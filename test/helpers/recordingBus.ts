import {
  type Bus,
  type BusRecord,
  BusUnavailableError,
  type CommittedPosition,
  type ConsumeOptions,
  type Consumer,
} from '../../core/ports/bus.ts';

/**
 * A Bus test double for unit tests of HTTP and pipeline logic: keeps produced records in memory and can
 * be switched "down" to check 503 handling. Engine behaviour is tested against the real buses
 * (embedded log, Kafka) in their own suites, never with this.
 */
export class RecordingBus implements Bus {
  readonly topics = new Map<string, BusRecord[]>();
  down = false;
  /** Delay before produce resolves, to test that answers wait for the bus. */
  delayMs = 0;

  async ensureTopics(topics: string[]): Promise<void> {
    for (const t of topics) if (!this.topics.has(t)) this.topics.set(t, []);
  }

  async produce(topic: string, records: BusRecord[]): Promise<void> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.down) throw new BusUnavailableError('test bus is down', 3);
    const list = this.topics.get(topic) ?? [];
    list.push(...records);
    this.topics.set(topic, list);
  }

  /** Produced values of a topic, parsed as JSON. */
  values(topic: string): Array<Record<string, unknown>> {
    return (this.topics.get(topic) ?? []).map((r) => JSON.parse(Buffer.from(r.value).toString('utf8')));
  }

  async consume(_options: ConsumeOptions): Promise<Consumer> {
    throw new Error('RecordingBus does not consume; use the embedded bus for consumer tests');
  }

  async committed(): Promise<CommittedPosition | null> {
    return null;
  }

  async ready(): Promise<boolean> {
    return !this.down;
  }

  async close(): Promise<void> {}
}
