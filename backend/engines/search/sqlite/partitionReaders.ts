import { join } from 'node:path';
import { openPartitionReader, type PartitionReader } from './partitionDatabase.ts';
import { closeBeyond, type Partition, partitionFileName } from './partitionFiles.ts';
import type { PartitionSource } from './partitionSearch.ts';

/**
 * A reader thread's read-only connections to the partition files. The writer's directory listing
 * is the truth (it creates and removes files), so each request brings the partitions to search and
 * `forget` closes the connections of removed files: a connection kept open would go on reading a
 * deleted file, and never see a new file of the same name.
 */
export interface PartitionReaders extends PartitionSource {
  /** The partitions the next request may open. */
  use(partitions: Partition[]): void;
  forget(fileNames: readonly string[]): void;
  closeAll(): void;
}

export function openPartitionReaders(dir: string, maxOpen: number): PartitionReaders {
  let partitions: Partition[] = [];
  const open = new Map<string, PartitionReader>();
  return {
    use(list) {
      partitions = list;
    },
    list: () => partitions,
    open(partition) {
      const name = partitionFileName(partition);
      const cached = open.get(name);
      if (cached !== undefined) {
        // Map keeps insertion order: re-inserting marks the partition most recently used.
        open.delete(name);
        open.set(name, cached);
        return cached;
      }
      let reader: PartitionReader;
      try {
        reader = openPartitionReader(join(dir, partitionFileName(partition)));
      } catch (error) {
        // Removed by retention since the request was sent: it holds nothing any more.
        if (/unable to open database file/.test((error as Error).message)) return null;
        throw error;
      }
      // A file without its tenant yet is one the writer is still creating: ask again next time.
      if (reader.tenant === null) {
        reader.close();
        return null;
      }
      open.set(name, reader);
      closeBeyond(open, maxOpen);
      return reader;
    },
    forget(fileNames) {
      for (const name of fileNames) {
        open.get(name)?.close();
        open.delete(name);
      }
    },
    closeAll() {
      for (const reader of open.values()) reader.close();
      open.clear();
    },
  };
}
