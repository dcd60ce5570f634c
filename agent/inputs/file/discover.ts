import type { Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { FileInputError } from './fileInputError.ts';
import { type CompiledGlob, compileExclude, compileGlob, type GlobSegment } from './glob.ts';

/** A regular file that matched `paths` and no `exclude` pattern, as stat saw it during the scan. */
export interface FoundFile {
  path: string;
  dev: number;
  ino: number;
  size: number;
}

export interface Discovery {
  include: CompiledGlob[];
  exclude: Array<(path: string) => boolean>;
}

/** Compiles the patterns once; an invalid pattern throws FileInputError('glob_invalid') here, at start. */
export function compileDiscovery(paths: string[], exclude: string[] = [], cwd?: string): Discovery {
  return {
    include: paths.map((p) => compileGlob(p, cwd)),
    exclude: exclude.map((p) => compileExclude(p, cwd)),
  };
}

/**
 * Expands the patterns against the file system, one scan. Symbolic links to files are followed (stat,
 * not lstat: Kubernetes' /var/log/containers/*.log are links); `**` does not descend into linked
 * directories, so a link loop cannot make a scan endless. Directories that do not exist (yet) are not
 * an error; directories that cannot be read are reported through `onError` and skipped.
 */
export async function discover(
  discovery: Discovery,
  onError: (error: FileInputError) => void = () => undefined,
): Promise<Map<string, FoundFile>> {
  const found = new Map<string, FoundFile>();
  const walker = new Walker(discovery, found, onError);
  for (const glob of discovery.include) await walker.walk(glob.base, glob.segments, 0);
  return found;
}

class Walker {
  private readonly discovery: Discovery;
  private readonly found: Map<string, FoundFile>;
  private readonly onError: (error: FileInputError) => void;
  private readonly listings = new Map<string, Dirent[] | undefined>();

  constructor(discovery: Discovery, found: Map<string, FoundFile>, onError: (error: FileInputError) => void) {
    this.discovery = discovery;
    this.found = found;
    this.onError = onError;
  }

  async walk(dir: string, segments: GlobSegment[], i: number): Promise<void> {
    const segment = segments[i];
    const last = i === segments.length - 1;
    if (segment.kind === 'literal') {
      const path = join(dir, segment.name);
      if (last) await this.addFile(path);
      else await this.walk(path, segments, i + 1);
      return;
    }
    if (segment.kind === 'globstar') {
      // `**` last matches every file below; otherwise it stands for zero or more directories.
      if (last) {
        for (const entry of await this.list(dir)) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) await this.walk(path, segments, i);
          else await this.addFile(path);
        }
        return;
      }
      await this.walk(dir, segments, i + 1);
      for (const entry of await this.list(dir)) {
        if (entry.isDirectory()) await this.walk(join(dir, entry.name), segments, i);
      }
      return;
    }
    for (const entry of await this.list(dir)) {
      if (!segment.re.test(entry.name)) continue;
      const path = join(dir, entry.name);
      if (last) await this.addFile(path);
      else if (entry.isDirectory() || entry.isSymbolicLink()) await this.walk(path, segments, i + 1);
    }
  }

  private async list(dir: string): Promise<Dirent[]> {
    // Several patterns (or `**`) may visit one directory in a scan: list it once.
    if (this.listings.has(dir)) return this.listings.get(dir) ?? [];
    let entries: Dirent[] | undefined;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      this.report(dir, error);
    }
    this.listings.set(dir, entries);
    return entries ?? [];
  }

  private async addFile(path: string): Promise<void> {
    if (this.found.has(path) || this.discovery.exclude.some((excluded) => excluded(path))) return;
    try {
      const st = await stat(path);
      if (st.isFile()) this.found.set(path, { path, dev: st.dev, ino: st.ino, size: st.size });
    } catch (error) {
      this.report(path, error);
    }
  }

  private report(path: string, error: unknown): void {
    const code = (error as NodeJS.ErrnoException).code;
    // Gone between listing and stat, or not there yet, or a file where a directory was expected:
    // normal on a live system, the next scan looks again.
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    this.onError(new FileInputError('scan_failed', path, (error as Error).message));
  }
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}
