/**
 * The embedded bus: the Bus port on a durable append-only log in a local directory, for standalone mode.
 *
 *   <dir>/LOCK                     pid of the process that has the log open
 *   <dir>/clean-shutdown           present only between a clean close() and the next open
 *   <dir>/topics/<topic>/topic.json, <dir>/topics/<topic>/<partition>/<base offset>.log|.index
 *   <dir>/groups/<group, base64url>.json   committed offsets
 *
 * See docs/bus.md for the formats, the durability each fsync policy gives, retention and recovery.
 */
import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, writeFileAtomic } from '../../../../core/fs/atomicFile.ts';
import type {
  Bus,
  BusRecord,
  CommittedPosition,
  ConsumeOptions,
  Consumer,
} from '../../../../core/ports/bus.ts';
import { BusUnavailableError } from '../../../../core/ports/bus.ts';
import { type BusEvent, describeError, type EmbeddedBusStats, emptyStats } from './busEvents.ts';
import { lockDir } from './dirLock.ts';
import { GroupConsumer } from './groupConsumer.ts';
import { GroupCoordinator } from './groupCoordinator.ts';
import { GroupOffsets } from './groupOffsets.ts';
import { type EmbeddedBusOptions, resolveOptions } from './options.ts';
import type { PartitionLog } from './partitionLog.ts';
import { Topics } from './topics.ts';

export type { BusEvent, EmbeddedBusStats } from './busEvents.ts';
export type { EmbeddedBusOptions } from './options.ts';

const CLEAN_MARKER = 'clean-shutdown';

export interface EmbeddedBus extends Bus {
  readonly dir: string;
  /** Counters for the metrics endpoint. */
  stats(): EmbeddedBusStats;
  /** Runs retention now (it also runs on a timer and after every roll); returns segments deleted. */
  applyRetention(now?: number): Promise<number>;
}

export async function openEmbeddedBus(options: EmbeddedBusOptions): Promise<EmbeddedBus> {
  const opts = resolveOptions(options);
  const { dir } = opts;
  await mkdir(join(dir, 'groups'), { recursive: true });
  await mkdir(join(dir, 'topics'), { recursive: true });
  const lock = await lockDir(dir);
  const counters = emptyStats();
  const emit = (event: BusEvent): void => {
    if (event.type === 'offset-reset') counters.offsetResets++;
    if (event.type === 'handler-failed') counters.handlerFailures++;
    if (event.type === 'tail-truncated') counters.truncatedBytes += event.truncatedBytes;
    opts.onEvent(event);
  };

  let topics: Topics;
  try {
    const cleanShutdown = await exists(join(dir, CLEAN_MARKER));
    // The marker must be gone (durably) before anything is written, or a crash after this open would be
    // mistaken for a clean shutdown and the next open would skip the full scan of the newest segments.
    // The same fsync makes the groups/ and topics/ directories created above durable.
    await rm(join(dir, CLEAN_MARKER), { force: true });
    await fsyncDir(dir);
    topics = new Topics({
      root: join(dir, 'topics'),
      partitions: opts.partitions,
      fsync: opts.fsync,
      segmentBytes: opts.segmentBytes,
      cleanShutdown,
      onRecovery: (note) => emit({ type: 'tail-truncated', ...note }),
      onRoll: (log) => setImmediate(() => void retainPartition(log, Date.now())),
    });
    await topics.openExisting();
  } catch (err) {
    await lock.release();
    throw err;
  }

  const groups = new Map<string, Promise<GroupCoordinator>>();
  const consumers = new Set<GroupConsumer>();
  let closed = false;

  async function retainPartition(log: PartitionLog, now: number): Promise<number> {
    if (closed) return 0;
    const count = await log.applyRetention(opts.retention, now);
    if (count > 0) emit({ type: 'segments-deleted', topic: log.topic, partition: log.partition, count });
    return count;
  }

  async function applyRetention(now = Date.now()): Promise<number> {
    let deleted = 0;
    for (const t of topics.all()) for (const p of t.partitions) deleted += await retainPartition(p, now);
    return deleted;
  }

  const timers: NodeJS.Timeout[] = [];
  if (opts.fsync === 'interval') {
    timers.push(setInterval(() => void flushAll().catch(() => undefined), opts.fsyncIntervalMs));
  }
  if (opts.retention.maxAgeMs !== undefined || opts.retention.maxBytes !== undefined) {
    timers.push(
      setInterval(() => void applyRetention().catch(() => undefined), opts.retentionCheckIntervalMs),
    );
  }
  // Background timers must not keep a process alive that has nothing else to do.
  for (const t of timers) t.unref();

  async function flushAll(): Promise<void> {
    await Promise.all(topics.all().flatMap((t) => t.partitions.map((p) => p.flush())));
  }

  function coordinator(group: string): Promise<GroupCoordinator> {
    let c = groups.get(group);
    if (c === undefined) {
      c = GroupOffsets.open(join(dir, 'groups'), group).then((offsets) => {
        offsets.onWriteError = (error) => emit({ type: 'commit-failed', group, error: describeError(error) });
        return new GroupCoordinator(offsets, (topic) => topics.get(topic)!.partitions.length);
      });
      groups.set(group, c);
      // Not cached when it fails (an unreadable offsets file): the next consume tries again.
      c.catch(() => groups.delete(group));
    }
    return c;
  }

  function assertOpen(): void {
    if (closed) throw new BusUnavailableError('the embedded bus is closed');
  }

  return {
    dir,

    async ensureTopics(names: string[]): Promise<void> {
      assertOpen();
      await Promise.all(names.map((n) => topics.ensure(n)));
    },

    async produce(topicName: string, records: BusRecord[]): Promise<void> {
      assertOpen();
      if (records.length === 0) return;
      const topic = await topics.ensure(topicName);
      const byPartition = new Map<number, BusRecord[]>();
      for (const r of records) {
        const p = topic.partitionFor(r.key);
        const list = byPartition.get(p);
        if (list === undefined) byPartition.set(p, [r]);
        else list.push(r);
      }
      await Promise.all([...byPartition].map(([p, list]) => topic.partitions[p].append(list)));
    },

    async consume(options: ConsumeOptions): Promise<Consumer> {
      assertOpen();
      await Promise.all(options.topics.map((n) => topics.ensure(n)));
      const group = await coordinator(options.group);
      const consumer = new GroupConsumer(
        group,
        options,
        (tp) => topics.get(tp.topic)!.partitions[tp.partition],
        emit,
        (c) => consumers.delete(c),
      );
      consumers.add(consumer);
      await group.join(consumer);
      return consumer;
    },

    async committed(groupName: string, topic: string, partition: number): Promise<CommittedPosition | null> {
      assertOpen();
      const { offsets } = await coordinator(groupName);
      const offset = offsets.get(topic, partition);
      return offset === undefined
        ? null
        : { nextOffset: BigInt(offset), metadata: offsets.getMetadata(topic, partition) };
    },

    async ready(): Promise<boolean> {
      return !closed && topics.all().every((t) => t.partitions.every((p) => p.failed === undefined));
    },

    stats(): EmbeddedBusStats {
      const s = { ...counters };
      for (const t of topics.all()) {
        for (const p of t.partitions) {
          s.appendedRecords += p.stats.appendedRecords;
          s.appendRounds += p.stats.appendRounds;
          s.fsyncs += p.stats.fsyncs;
          s.rolls += p.stats.rolls;
          s.segmentsDeleted += p.stats.segmentsDeleted;
        }
      }
      return s;
    },

    applyRetention,

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      for (const t of timers) clearInterval(t);
      await Promise.allSettled([...consumers].map((c) => c.stop()));
      await topics.close();
      const healthy = topics.all().every((t) => t.partitions.every((p) => p.failed === undefined));
      // Only a log whose every segment was sealed (fsynced) may skip the full tail scan next time.
      if (healthy) await writeFileAtomic(join(dir, CLEAN_MARKER), `${new Date().toISOString()}\n`);
      await lock.release();
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}
