import { randomBytes } from 'node:crypto';
import { access, constants, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { type CheckResult, errorCode, failed, messageOf, passed } from './result.ts';

/**
 * Whether Sluice can keep files in `dir` (the embedded bus, SQLite files, the local archive): it exists
 * and takes a probe file, or it can be created. The probe file is removed at once, so a check leaves
 * the disk as it found it. `key` is the config key to name in the advice.
 */
export async function checkWritableDir(dir: string, key: string): Promise<CheckResult> {
  const path = resolve(dir);
  const existing = await stat(path).catch((error: unknown) => error as NodeJS.ErrnoException);
  if (!(existing instanceof Error)) {
    if (!existing.isDirectory())
      return failed(`${path} exists but is not a directory: move it or set ${key}`);
    const problem = await writeProbe(path);
    return problem === undefined
      ? passed(`${path} is writable`)
      : failed(
          `${path} is not writable (${problem}): give the user Sluice runs as write access or set ${key}`,
        );
  }
  if (errorCode(existing) !== 'ENOENT') return failed(`${path}: ${describeFsError(existing, key)}`);
  // Not there yet: Sluice creates it on first use, which works when its nearest existing ancestor is a
  // directory that takes a new entry. Only a probe file goes there, so concurrent checks never race
  // over creating and removing the same missing parents.
  const ancestor = await nearestExisting(path);
  if (ancestor instanceof Error) return failed(`${path}: ${describeFsError(ancestor, key)}`);
  if (!ancestor.isDirectory)
    return failed(`${path} cannot be created: ${ancestor.path} is a file, not a directory: set ${key}`);
  const problem = await writeProbe(ancestor.path);
  return problem === undefined
    ? passed(`${path} does not exist yet and can be created`)
    : failed(
        `${path} does not exist and cannot be created in ${ancestor.path} (${problem}): create it for the user Sluice runs as or set ${key}`,
      );
}

/** The closest existing path above (or at) `path`, whatever it is. */
async function nearestExisting(path: string): Promise<{ path: string; isDirectory: boolean } | Error> {
  for (let current = path; ; current = dirname(current)) {
    try {
      return { path: current, isDirectory: (await stat(current)).isDirectory() };
    } catch (error) {
      if (errorCode(error) !== 'ENOENT' || dirname(current) === current) return error as Error;
    }
  }
}

/**
 * Cheap enough for every `/readyz`: the directory (or, before the first write, its nearest existing
 * ancestor) is a directory this process may write to. No file is written.
 */
export async function probeWritableDir(dir: string, key: string): Promise<CheckResult> {
  const path = resolve(dir);
  const found = await nearestExisting(path);
  if (found instanceof Error) return failed(`${path}: ${describeFsError(found, key)}`);
  if (!found.isDirectory) return failed(`${found.path} is not a directory: set ${key}`);
  try {
    await access(found.path, constants.W_OK);
    return passed(`${path} is writable`);
  } catch (error) {
    return failed(`${found.path}: ${describeFsError(error, key)}`);
  }
}

/** undefined when a small file could be written to `dir` and removed again, else why not. */
async function writeProbe(dir: string): Promise<string | undefined> {
  const probe = resolve(dir, `.sluice-check-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(probe, 'sluice --check-config probe\n');
    await unlink(probe);
    return undefined;
  } catch (error) {
    return errorCode(error) ?? messageOf(error);
  }
}

function describeFsError(error: unknown, key: string): string {
  switch (errorCode(error)) {
    case 'ENOTDIR':
      return `a part of the path is a file, not a directory: set ${key}`;
    case 'EACCES':
    case 'EPERM':
      return `permission denied: give the user Sluice runs as write access or set ${key}`;
    case 'EROFS':
      return `read-only file system: set ${key} to a writable place`;
    default:
      return `${messageOf(error)}: set ${key}`;
  }
}
