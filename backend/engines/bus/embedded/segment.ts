/**
 * One segment of a partition: `<base>.log` (frames, see recordFormat.ts) and `<base>.index` (sparse offset
 * index, see offsetIndex.ts), named by the offset of their first record. Only the newest segment of a
 * partition (the active one) is written to; older ones are sealed, read-only and deleted whole by retention.
 */
import type { FileHandle } from 'node:fs/promises';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { INDEX_ENTRY_BYTES, INDEX_INTERVAL_BYTES, type IndexEntry, OffsetIndex } from './offsetIndex.ts';
import type { EncodedBatch } from './recordFormat.ts';

const NAME = /^(\d{20})\.(log|index)$/;

export function segmentFileName(baseOffset: number, ext: 'log' | 'index'): string {
  return `${String(baseOffset).padStart(20, '0')}.${ext}`;
}

export function parseSegmentFileName(name: string): { baseOffset: number; ext: 'log' | 'index' } | undefined {
  const m = NAME.exec(name);
  if (m === null) return undefined;
  return { baseOffset: Number(m[1]), ext: m[2] as 'log' | 'index' };
}

export class Segment {
  readonly baseOffset: number;
  readonly logPath: string;
  readonly indexPath: string;
  /** Bytes of whole frames in the log file. */
  size: number;
  /** Offset of the next record appended here (baseOffset when empty). */
  nextOffset: number;
  /** Bytes that readers may see: frames whose produce() has been acknowledged. */
  ackedSize: number;
  firstTimestamp: number | undefined;
  lastTimestamp: number | undefined;
  deleted = false;
  private logHandle: FileHandle | undefined;
  private indexHandle: FileHandle | undefined;
  private index: OffsetIndex | undefined;
  /** Index entries already written to the index file. */
  private indexEntriesOnDisk = 0;
  private lastIndexedPosition = 0;

  private constructor(dir: string, baseOffset: number, size: number) {
    this.baseOffset = baseOffset;
    this.logPath = join(dir, segmentFileName(baseOffset, 'log'));
    this.indexPath = join(dir, segmentFileName(baseOffset, 'index'));
    this.size = size;
    this.ackedSize = size;
    this.nextOffset = baseOffset;
  }

  /**
   * Creates empty files for a new segment. The caller fsyncs the directory before acknowledging any record
   * written here, so the new file's name survives a power loss along with its data.
   */
  static async create(dir: string, baseOffset: number): Promise<Segment> {
    const segment = new Segment(dir, baseOffset, 0);
    segment.logHandle = await open(segment.logPath, 'wx+');
    segment.indexHandle = await open(segment.indexPath, 'w');
    segment.index = new OffsetIndex();
    return segment;
  }

  /** An existing segment; recovery.ts establishes its true size, next offset and index before use. */
  static existing(dir: string, baseOffset: number, fileSize: number): Segment {
    return new Segment(dir, baseOffset, fileSize);
  }

  get isEmpty(): boolean {
    return this.nextOffset === this.baseOffset;
  }

  private async log(): Promise<FileHandle> {
    this.logHandle ??= await open(this.logPath, 'r+');
    return this.logHandle;
  }

  /** Reads up to `length` bytes at `position` (fewer at end of file). */
  async readAt(position: number, length: number): Promise<Buffer> {
    const handle = await this.log();
    const buf = Buffer.allocUnsafe(length);
    let filled = 0;
    while (filled < length) {
      const { bytesRead } = await handle.read(buf, filled, length - filled, position + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === length ? buf : buf.subarray(0, filled);
  }

  /**
   * The index file's last entry without reading the rest: undefined when the file holds no entries,
   * null when it is missing or not a whole number of entries (then it needs a rebuild).
   */
  async lastIndexEntry(): Promise<IndexEntry | undefined | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.indexPath, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    try {
      const { size } = await handle.stat();
      if (size % INDEX_ENTRY_BYTES !== 0) return null;
      if (size === 0) return undefined;
      const buf = Buffer.alloc(INDEX_ENTRY_BYTES);
      await handle.read(buf, 0, INDEX_ENTRY_BYTES, size - INDEX_ENTRY_BYTES);
      return { relativeOffset: buf.readUInt32BE(0), position: buf.readUInt32BE(4) };
    } finally {
      await handle.close();
    }
  }

  /** The offset index, read from disk on first use for a sealed segment. */
  async loadIndex(): Promise<OffsetIndex> {
    if (this.index === undefined) {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(this.indexPath);
      } catch (err) {
        // A missing index is legal (it is derived data); recovery rebuilds it, reads fall back to a scan.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        bytes = new Uint8Array(0);
      }
      this.index = OffsetIndex.parse(bytes, this.size);
      this.indexEntriesOnDisk =
        bytes.byteLength === this.index.length * INDEX_ENTRY_BYTES ? this.index.length : -1;
      this.lastIndexedPosition = this.index.last()?.position ?? 0;
    }
    return this.index;
  }

  /** Adopts an index built or repaired by recovery, rewriting the index file unless it already matches. */
  async adoptIndex(index: OffsetIndex, lastIndexedPosition: number): Promise<void> {
    const onDisk = this.index === index ? this.indexEntriesOnDisk : -1;
    this.index = index;
    this.lastIndexedPosition = lastIndexedPosition;
    if (onDisk === index.length) return;
    // Not atomic and not fsynced on purpose: the index is derived, and a torn rewrite is rebuilt at open.
    const handle = await open(this.indexPath, 'w');
    try {
      await handle.writeFile(index.encode());
    } finally {
      await handle.close();
    }
    this.indexEntriesOnDisk = index.length;
  }

  /** Cuts a torn tail off the log file, durably: the next append must not land after garbage. */
  async truncateLog(size: number): Promise<void> {
    const handle = await this.log();
    await handle.truncate(size);
    await handle.datasync();
    this.size = size;
    this.ackedSize = size;
  }

  /**
   * Appends encoded batches at the end of the log in one positioned writev, then the index entries they
   * earned. Offsets and sizes move only after the write succeeded; on failure the caller truncates back.
   */
  async append(batches: EncodedBatch[]): Promise<void> {
    const index = await this.loadIndex();
    const entriesBefore = index.length;
    const lastIndexedBefore = this.lastIndexedPosition;
    const buffers: Buffer[] = [];
    let pos = this.size;
    for (const batch of batches) {
      for (let i = 0; i < batch.count; i++) {
        const framePos = pos + batch.frameStarts[i];
        if (framePos - this.lastIndexedPosition >= INDEX_INTERVAL_BYTES) {
          index.append(batch.firstOffset + i - this.baseOffset, framePos);
          this.lastIndexedPosition = framePos;
        }
      }
      pos += batch.bytes.byteLength;
      buffers.push(batch.bytes);
    }
    try {
      await writeFully(await this.log(), buffers, this.size);
    } catch (err) {
      index.truncate(entriesBefore);
      this.lastIndexedPosition = lastIndexedBefore;
      throw err;
    }
    const last = batches[batches.length - 1];
    if (this.isEmpty) this.firstTimestamp = batches[0].timestamp;
    this.size = pos;
    this.nextOffset = last.firstOffset + last.count;
    this.lastTimestamp = last.timestamp;
    await this.writeNewIndexEntries(index);
  }

  private async writeNewIndexEntries(index: OffsetIndex): Promise<void> {
    if (this.indexEntriesOnDisk < 0 || index.length === this.indexEntriesOnDisk) return;
    try {
      // Append mode: the file holds exactly indexEntriesOnDisk entries, so the end is where these belong,
      // and a missing file (legal, the index is derived) is simply created.
      this.indexHandle ??= await open(this.indexPath, 'a');
      const bytes = index.encode(this.indexEntriesOnDisk);
      const { bytesWritten } = await this.indexHandle.write(bytes, 0, bytes.byteLength, null);
      this.indexEntriesOnDisk = bytesWritten === bytes.byteLength ? index.length : -1;
    } catch {
      // The records are written; only the derived index fell behind. Stop appending to it (a misaligned
      // entry would mislead seeks) and let the next open extend it from the log. Reads use the in-memory copy.
      this.indexEntriesOnDisk = -1;
    }
  }

  /** fdatasync of the log: after it, every appended frame survives power loss. */
  async sync(): Promise<void> {
    if (this.logHandle !== undefined) await this.logHandle.datasync();
  }

  /**
   * Makes a segment read-only for good: log and index are fsynced so that only the active segment can ever
   * need tail recovery, and the index file handle is released.
   */
  async seal(): Promise<void> {
    await this.sync();
    const handle = this.indexHandle;
    this.indexHandle = undefined;
    if (handle === undefined) return;
    try {
      await handle.sync();
    } catch {
      // Only the derived index is in doubt: have the next open rebuild it instead of failing the roll.
      this.indexEntriesOnDisk = -1;
    } finally {
      await handle.close();
    }
  }

  /**
   * Frees what a sealed segment holds between reads (its file handle and in-memory index); both come back
   * lazily on the next read. Keeps open descriptors and memory proportional to what consumers read, not
   * to how much the log retains.
   */
  async release(): Promise<void> {
    this.index = undefined;
    await this.close();
  }

  async close(): Promise<void> {
    const handles = [this.logHandle, this.indexHandle];
    this.logHandle = undefined;
    this.indexHandle = undefined;
    // FileHandle.close waits for operations in flight, so a reader mid-read finishes first.
    await Promise.all(handles.map((h) => h?.close()));
  }

  /** Deletes the segment's files. The log goes first: an orphan index is cleaned up at open. */
  async remove(): Promise<void> {
    this.deleted = true;
    await rm(this.logPath, { force: true });
    await rm(this.indexPath, { force: true });
    await this.close();
  }
}

async function writeFully(handle: FileHandle, buffers: Buffer[], position: number): Promise<void> {
  let pending = buffers;
  let pos = position;
  while (pending.length > 0) {
    const { bytesWritten } = await handle.writev(pending, pos);
    if (bytesWritten === 0) throw new Error('write made no progress');
    pos += bytesWritten;
    // Short writes (IOV_MAX, ENOSPC on the way) leave a remainder: continue after what was written.
    let skip = bytesWritten;
    let i = 0;
    while (i < pending.length && skip >= pending[i].byteLength) skip -= pending[i++].byteLength;
    pending = pending.slice(i);
    if (skip > 0) pending[0] = pending[0].subarray(skip);
  }
}
