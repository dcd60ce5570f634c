/**
 * Topics of the embedded bus: `topics/<name>/topic.json` (the partition count, fixed at creation, like
 * Kafka's) and one directory per partition, `topics/<name>/<partition>/`.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, writeFileAtomic } from '../../../../core/fs/atomicFile.ts';
import { InvalidTopicNameError } from './errors.ts';
import { keyPartitioner } from './partitioner.ts';
import { type FsyncPolicy, PartitionLog } from './partitionLog.ts';
import type { RecoveryNote } from './recovery.ts';

const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const META_FILE = 'topic.json';

export interface Topic {
  name: string;
  partitions: PartitionLog[];
  partitionFor: (key: string) => number;
}

export interface TopicSettings {
  root: string;
  partitions: number;
  fsync: FsyncPolicy;
  segmentBytes: number;
  cleanShutdown: boolean;
  onRecovery: (note: RecoveryNote) => void;
  onRoll: (log: PartitionLog) => void;
}

export function assertTopicName(name: string): void {
  if (!TOPIC_NAME.test(name) || name === '.' || name === '..') throw new InvalidTopicNameError(name);
}

export class Topics {
  private readonly settings: TopicSettings;
  private readonly opening = new Map<string, Promise<Topic>>();
  private readonly open = new Map<string, Topic>();

  constructor(settings: TopicSettings) {
    this.settings = settings;
  }

  /** Opens (and so recovers) every topic on disk, so recovery happens at start, not at first use. */
  async openExisting(): Promise<void> {
    await mkdir(join(this.settings.root), { recursive: true });
    for (const entry of await readdir(this.settings.root, { withFileTypes: true })) {
      if (entry.isDirectory() && TOPIC_NAME.test(entry.name)) await this.ensure(entry.name);
    }
  }

  get(name: string): Topic | undefined {
    return this.open.get(name);
  }

  all(): Topic[] {
    return [...this.open.values()];
  }

  /** The topic, created on first use; concurrent callers share one creation. */
  ensure(name: string): Promise<Topic> {
    let topic = this.opening.get(name);
    if (topic === undefined) {
      assertTopicName(name);
      topic = this.openTopic(name);
      this.opening.set(name, topic);
      // A failed open must not be cached, or the topic could never be retried.
      topic.catch(() => this.opening.delete(name));
    }
    return topic;
  }

  private async openTopic(name: string): Promise<Topic> {
    const { root } = this.settings;
    const dir = join(root, name);
    await mkdir(dir, { recursive: true });
    const count = await this.partitionCount(dir);
    const partitions: PartitionLog[] = [];
    for (let p = 0; p < count; p++) {
      const { log, notes } = await PartitionLog.open({
        dir: join(dir, String(p)),
        topic: name,
        partition: p,
        fsync: this.settings.fsync,
        segmentBytes: this.settings.segmentBytes,
        cleanShutdown: this.settings.cleanShutdown,
        onRoll: this.settings.onRoll,
      });
      for (const note of notes) this.settings.onRecovery(note);
      partitions.push(log);
    }
    // Partition directories and the topic directory itself are new names: make them durable.
    await fsyncDir(dir);
    await fsyncDir(root);
    const topic: Topic = { name, partitions, partitionFor: keyPartitioner(count) };
    this.open.set(name, topic);
    return topic;
  }

  /** The count recorded at creation; for a new topic (or one whose creation crashed early) write it now. */
  private async partitionCount(dir: string): Promise<number> {
    try {
      const meta = JSON.parse(await readFile(join(dir, META_FILE), 'utf8')) as { partitions: number };
      return meta.partitions;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const existing = (await readdir(dir)).filter((n) => /^\d+$/.test(n)).length;
    const partitions = Math.max(existing, this.settings.partitions);
    await writeFileAtomic(join(dir, META_FILE), `${JSON.stringify({ partitions })}\n`);
    return partitions;
  }

  async close(): Promise<void> {
    await Promise.all(this.all().flatMap((t) => t.partitions.map((p) => p.close())));
  }
}
