import { type FileHandle, open } from 'node:fs/promises';
import { discover, type FoundFile } from './discover.ts';
import type { FileInputContext } from './fileInputContext.ts';
import { FileInputError } from './fileInputError.ts';
import { FileReader, inodeKey, lastLineStart } from './fileReader.ts';
import { birthMs, headOf, readHead } from './fingerprint.ts';
import { identify, register, retire } from './generations.ts';
import { closeReader } from './readTurn.ts';
import { decideStart } from './rotation.ts';

/**
 * One scan: expand the patterns, then reconcile what is on disk with what is open.
 * - an open file found again (under its name or another matched one) stays open; its path follows;
 * - an open file no longer found under any matched name was rotated away or deleted: it is marked
 *   orphaned and read on through its descriptor (see rotation.ts for when it is closed);
 * - a file not open is opened, and decideStart says where reading begins.
 */
export async function scan(ctx: FileInputContext): Promise<void> {
  const found = await discover(ctx.discovery, (error) => report(ctx, error));
  const byInode = new Map<string, FoundFile[]>();
  for (const file of found.values()) {
    const key = inodeKey(file.dev, file.ino);
    const names = byInode.get(key);
    if (names === undefined) byInode.set(key, [file]);
    else names.push(file); // hard links, or a link and its target both matched: one file, read once
  }
  if (!ctx.firstScanDone) for (const key of byInode.keys()) ctx.startupFiles.add(key);
  const now = ctx.options.now();
  for (const reader of ctx.readers.values()) {
    const names = byInode.get(reader.key);
    if (names === undefined) {
      if (reader.orphanedSince === undefined) {
        reader.orphanedSince = now;
        ctx.logger?.debug('file rotated away or deleted; reading it to its end', { path: reader.path });
      }
      continue;
    }
    reader.orphanedSince = undefined;
    if (!names.some((file) => file.path === reader.path)) followRename(ctx, reader, names[0].path);
  }
  const unopened = [...byInode.keys()].filter((key) => !ctx.readers.has(key)).length;
  await makeRoom(ctx, unopened - (ctx.options.maxOpenFiles - ctx.readers.size), now);
  let waiting = 0;
  for (const [, names] of byOpeningTurn(ctx, byInode)) {
    if (ctx.readers.size >= ctx.options.maxOpenFiles) {
      waiting++;
      continue;
    }
    await openFound(ctx, names[0]);
  }
  if (waiting > 0 && ctx.stats.waitingFiles === 0) {
    ctx.logger?.warn(
      'more files match than max_open_files; files idle for rotate_wait take turns with them',
      {
        max_open_files: ctx.options.maxOpenFiles,
        waiting,
      },
    );
  }
  ctx.stats.waitingFiles = waiting;
  for (const key of ctx.closedAt.keys()) if (!byInode.has(key)) ctx.closedAt.delete(key);
  for (const key of ctx.startupFiles) if (!byInode.has(key)) ctx.startupFiles.delete(key);
  ctx.firstScanDone = true;
}

/** Files not open, those never opened first, then those closed longest ago: every file gets its turn. */
function byOpeningTurn(
  ctx: FileInputContext,
  byInode: Map<string, FoundFile[]>,
): Array<[string, FoundFile[]]> {
  const closedAt = (key: string) => ctx.closedAt.get(key) ?? -1;
  return [...byInode].filter(([key]) => !ctx.readers.has(key)).sort(([a], [b]) => closedAt(a) - closedAt(b));
}

/**
 * More files match than may be open: close up to `needed` files that are at their end, idle for
 * rotate_wait and hold no open line. They are reopened by a later scan and resume where they were read
 * to; the cost is that a file renamed out of the patterns while closed is not followed.
 */
async function makeRoom(ctx: FileInputContext, needed: number, now: number): Promise<void> {
  if (needed <= 0) return;
  const idle = [...ctx.readers.values()]
    .filter((r) => r.orphanedSince === undefined && r.atEnd && !r.lines.hasOpenLine)
    .filter((r) => now - r.lastGrowthAt >= ctx.options.rotateWaitMs)
    .sort((a, b) => a.lastGrowthAt - b.lastGrowthAt);
  for (const reader of idle.slice(0, needed)) await closeReader(ctx, reader);
}

/** Renamed within the patterns (rotation to a name that still matches): same file, same id, new path. */
function followRename(ctx: FileInputContext, reader: FileReader, path: string): void {
  reader.path = path;
  if (reader.fileId === undefined) return;
  const entry = ctx.options.checkpoints.get(reader.fileId);
  if (entry !== undefined) ctx.options.checkpoints.set(reader.fileId, { ...entry, path });
}

/** Opens a matched file and positions it: resume, restart from 0, or start a new file. */
async function openFound(ctx: FileInputContext, file: FoundFile): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(file.path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT')
      report(ctx, new FileInputError('open_failed', file.path, (error as Error).message));
    return;
  }
  try {
    await position(ctx, handle, file.path);
  } catch (error) {
    await handle.close();
    report(ctx, new FileInputError('open_failed', file.path, (error as Error).message));
  }
}

async function position(ctx: FileInputContext, handle: FileHandle, path: string): Promise<void> {
  // The name may point to another file than at the scan's stat (a rotation in between): trust fstat.
  const st = await handle.stat();
  const key = inodeKey(st.dev, st.ino);
  if (ctx.readers.has(key)) {
    await handle.close();
    return;
  }
  const options = ctx.options;
  const identity = { dev: st.dev, ino: st.ino, birthtimeMs: birthMs(st.birthtimeMs) };
  const head = await readHead(handle, st.size, options.fingerprintBytes);
  const decision = decideStart({ ...identity, size: st.size }, head, options.checkpoints.entries());
  const now = options.now();
  let fileId: string | undefined;
  let offset = 0;
  if (decision.kind === 'resume') {
    fileId = decision.fileId;
    offset = decision.offset;
    // Read further before, in this run: continue there (lines in between are in flight, not lost).
    const readTo = ctx.readUpTo.get(fileId);
    if (readTo !== undefined && readTo > offset && readTo <= st.size) offset = readTo;
  } else if (decision.kind === 'restart') {
    retire(ctx, decision.replaces);
    ctx.stats.restarts++;
    ctx.logger?.info(`file ${decision.reason} while not read; reading it again from the start`, { path });
  } else if (
    ctx.startupFiles.has(key) &&
    options.startAt === 'end' &&
    options.checkpoints.origin !== 'corrupt'
  ) {
    offset = await lastLineStart(handle, st.size);
  }
  const reader = new FileReader({
    ...identity,
    path,
    handle,
    head: headOf(head),
    fileId,
    offset,
    maxLineBytes: options.maxLineBytes,
    now,
  });
  reader.deleted = st.nlink === 0;
  ctx.readers.set(key, reader);
  ctx.closedAt.delete(key);
  ctx.startupFiles.delete(key);
  if (fileId === undefined) {
    await identify(ctx, reader, false);
    return;
  }
  register(ctx, reader, fileId, options.checkpoints.get(fileId)?.offset ?? offset);
}

function report(ctx: FileInputContext, error: FileInputError): void {
  const key = `${error.code}:${error.subject}`;
  if (ctx.reported.has(key)) return;
  ctx.reported.add(key);
  ctx.logger?.warn(error.message, { code: error.code, path: error.subject });
}
