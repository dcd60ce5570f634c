import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { type CheckResult, errorCode, failed, messageOf, passed } from './result.ts';
import { checkWritableDir, probeWritableDir } from './writableDir.ts';

/**
 * A SQLite database file Sluice opens read-write (metrics, alerts): its directory must be writable (SQLite
 * writes the -wal and -shm files beside it) and, when the file exists, it must be a SQLite database.
 */
export async function checkSqliteFile(path: string, key: string): Promise<CheckResult> {
  const file = resolve(path);
  const dir = await checkWritableDir(dirname(file), key);
  if (!dir.ok) return dir;
  const info = await stat(file).catch((error: unknown) => error as Error);
  if (info instanceof Error) {
    return errorCode(info) === 'ENOENT'
      ? passed(`${file} does not exist yet and can be created`)
      : failed(`${file}: ${messageOf(info)}: set ${key}`);
  }
  if (!info.isFile()) return failed(`${file} is not a file: set ${key}`);
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(file);
    db.exec('PRAGMA busy_timeout = 2000');
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return passed(`${file} is a writable SQLite database`);
  } catch (error) {
    return failed(`${file} cannot be opened as SQLite (${messageOf(error)}): move it away or set ${key}`);
  } finally {
    db?.close();
  }
}

/** For /readyz: the file's directory is still there and writable (nothing is opened or written). */
export function probeSqliteFile(path: string, key: string): Promise<CheckResult> {
  return probeWritableDir(dirname(resolve(path)), key);
}
