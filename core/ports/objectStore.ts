/**
 * The byte storage under an archive: the only thing that differs between the local directory (standalone)
 * and S3. Keys are `/`-separated paths relative to the store's root; a "folder" is a key prefix ending
 * in `/`. Everything above bytes (Parquet, layout, pruning, retention) is shared in archive.ts.
 */

export interface StoredObject {
  key: string;
  bytes: number;
}

export interface ObjectStore {
  /**
   * Stores `body` under `key`, replacing any object there. Atomic: a reader (get or list) sees the
   * previous object or the whole new one, never a part, and a failed or interrupted put leaves no object.
   */
  put(key: string, body: Uint8Array): Promise<void>;
  /** The whole object, or undefined when there is none. */
  get(key: string): Promise<Uint8Array | undefined>;
  /** Bytes [start, end) of an object, for reading one row group of a large file; undefined when absent. */
  getRange(key: string, start: number, end: number): Promise<Uint8Array | undefined>;
  /** Every complete object whose key starts with `prefix` ('' or a folder ending in `/`), at any depth. */
  list(prefix: string): Promise<StoredObject[]>;
  /** Names of the folders directly under `prefix` ('' or a folder), without the trailing `/`. */
  listFolders(prefix: string): Promise<string[]>;
  /** Removes the objects; keys that do not exist are not an error. */
  delete(keys: readonly string[]): Promise<void>;
}

/** A key an object store refuses: empty, absolute, with `.`/`..`/empty segments, or a hidden name. */
export class ObjectKeyError extends Error {
  readonly code = 'object_key_invalid';
  readonly key: string;
  constructor(key: string, reason: string) {
    super(`invalid object key ${JSON.stringify(key.slice(0, 200))}: ${reason}`);
    this.name = 'ObjectKeyError';
    this.key = key.slice(0, 200);
  }
}

/**
 * Rejects keys that could reach outside the root or collide with a store's temporary files. The layout
 * never makes such keys; this is the second wall, so a bug elsewhere cannot write outside the archive.
 */
export function checkKey(key: string, { folder = false } = {}): void {
  if (folder && key === '') return;
  const path = folder ? key.replace(/\/$/, '') : key;
  if (folder && !key.endsWith('/')) throw new ObjectKeyError(key, 'a folder prefix must end with "/"');
  if (path === '') throw new ObjectKeyError(key, 'empty');
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') {
      throw new ObjectKeyError(key, 'empty, "." and ".." segments are not allowed');
    }
    if (segment.startsWith('.'))
      throw new ObjectKeyError(key, 'names starting with "." are reserved for temporary files');
    if (segment.includes('\\') || segment.includes('\0'))
      throw new ObjectKeyError(key, 'backslashes and NUL are not allowed');
  }
}
