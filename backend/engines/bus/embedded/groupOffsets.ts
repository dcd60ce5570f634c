/**
 * Committed offsets of one consumer group: for each topic-partition, the next offset the group will read
 * (Kafka's convention). Kept in memory and written to `groups/<group>.json` atomically (temp, fsync,
 * rename, fsync dir), so after a crash the file holds a complete earlier or later state, never a mix.
 *
 * Writes are coalesced: commits from every partition of the group that arrive while a write is in flight
 * go out together in the next one. A commit lost to a crash only means redelivery (at-least-once);
 * flush() is awaited where a commit must be durable (consumer stop, rebalance, close).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../../core/fs/atomicFile.ts';

interface OffsetsFile {
  group: string;
  offsets: Record<string, Record<string, string | { offset: string; metadata: string }>>;
}

export class GroupOffsets {
  readonly group: string;
  private readonly path: string;
  private readonly offsets = new Map<string, Map<number, number>>();
  private readonly metadata = new Map<string, string>();
  private dirty = false;
  private writing: Promise<void> | undefined;
  private lastError: Error | undefined;
  onWriteError: ((err: Error) => void) | undefined;

  private constructor(group: string, path: string) {
    this.group = group;
    this.path = path;
  }

  /** File name for a group: base64url keeps any group name a single safe path component. */
  static fileName(group: string): string {
    return `${Buffer.from(group, 'utf8').toString('base64url') || '_'}.json`;
  }

  static async open(dir: string, group: string): Promise<GroupOffsets> {
    const store = new GroupOffsets(group, join(dir, GroupOffsets.fileName(group)));
    let text: string | undefined;
    try {
      text = await readFile(store.path, 'utf8');
    } catch (err) {
      // No file yet: the group has never committed.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    if (text !== undefined) {
      let parsed: OffsetsFile;
      try {
        parsed = JSON.parse(text) as OffsetsFile;
      } catch (err) {
        // Atomic writes never leave a partial file; this is damage from outside, so say where it is.
        throw new Error(
          `committed offsets of group ${group} in ${store.path} are not valid JSON; fix or delete the file`,
          {
            cause: err,
          },
        );
      }
      for (const [topic, partitions] of Object.entries(parsed.offsets)) {
        const map = new Map<number, number>();
        for (const [p, entry] of Object.entries(partitions)) {
          // An entry is the offset as text, or { offset, metadata } when the consumer saved state with it.
          if (typeof entry === 'string') map.set(Number(p), Number(entry));
          else {
            map.set(Number(p), Number(entry.offset));
            store.metadata.set(`${topic}\u0000${p}`, entry.metadata);
          }
        }
        store.offsets.set(topic, map);
      }
    }
    return store;
  }

  get(topic: string, partition: number): number | undefined {
    return this.offsets.get(topic)?.get(partition);
  }

  getMetadata(topic: string, partition: number): string | null {
    return this.metadata.get(`${topic}\u0000${partition}`) ?? null;
  }

  /** Records a commit (and the state saved with it) in memory and schedules a coalesced durable write. */
  commit(topic: string, partition: number, nextOffset: number, metadata?: string): void {
    let map = this.offsets.get(topic);
    if (map === undefined) {
      map = new Map();
      this.offsets.set(topic, map);
    }
    const key = `${topic}\u0000${partition}`;
    if (map.get(partition) === nextOffset && this.metadata.get(key) === metadata) return;
    map.set(partition, nextOffset);
    if (metadata === undefined) this.metadata.delete(key);
    else this.metadata.set(key, metadata);
    this.dirty = true;
    this.startWrite();
  }

  /** Resolves once every commit made before the call is on disk; rejects if writing it failed. */
  async flush(): Promise<void> {
    // A write in flight may have serialized the state before the latest commits: wait, then write again.
    while (this.writing !== undefined) await this.writing;
    if (this.dirty) {
      this.lastError = undefined;
      this.startWrite();
      while (this.writing !== undefined) await this.writing;
    }
    if (this.lastError !== undefined) throw this.lastError;
  }

  private startWrite(): void {
    if (this.writing !== undefined || !this.dirty) return;
    this.dirty = false;
    this.writing = writeFileAtomic(this.path, this.serialize())
      .then(
        () => {
          this.lastError = undefined;
        },
        (err: Error) => {
          // Keep the commits in memory and mark them owed; the next commit or flush() tries again.
          this.dirty = true;
          this.lastError = err;
          this.onWriteError?.(err);
        },
      )
      .finally(() => {
        this.writing = undefined;
        if (this.dirty && this.lastError === undefined) this.startWrite();
      });
  }

  private serialize(): string {
    const file: OffsetsFile = { group: this.group, offsets: {} };
    for (const [topic, map] of this.offsets) {
      const partitions: Record<string, string | { offset: string; metadata: string }> = {};
      for (const [p, offset] of map) {
        const metadata = this.metadata.get(`${topic}\u0000${p}`);
        partitions[p] = metadata === undefined ? String(offset) : { offset: String(offset), metadata };
      }
      file.offsets[topic] = partitions;
    }
    return `${JSON.stringify(file)}\n`;
  }
}
