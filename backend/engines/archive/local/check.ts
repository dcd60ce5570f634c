import type * as v from 'valibot';
import type { Logger } from '../../../../core/log/logger.ts';
import type { CheckResult } from '../../../checks/result.ts';
import { checkWritableDir, probeWritableDir } from '../../../checks/writableDir.ts';
import type { localArchiveSchema } from './config.ts';

export type LocalArchiveConfig = v.InferOutput<typeof localArchiveSchema>;

/** The local archive writes Parquet files under `archive.dir`: it must exist or be creatable, and be writable. */
export function checkLocalArchive(config: LocalArchiveConfig, _deps: { log: Logger }): Promise<CheckResult> {
  return checkWritableDir(config.dir, 'archive.dir');
}

/** For /readyz: the directory is still there and writable (nothing is written). */
export function probeLocalArchive(config: LocalArchiveConfig): Promise<CheckResult> {
  return probeWritableDir(config.dir, 'archive.dir');
}
