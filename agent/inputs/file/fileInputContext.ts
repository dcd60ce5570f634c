import type { Buffer } from 'node:buffer';
import type { Logger } from '../../../core/log/logger.ts';
import type { ContiguousAcks } from '../../checkpoint/contiguousAcks.ts';
import type { Discovery } from './discover.ts';
import type { ResolvedFileInputOptions } from './fileInputOptions.ts';
import type { FileReader } from './fileReader.ts';

export interface FileInputStats {
  /** Files held open now. */
  openFiles: number;
  /** Matching files not opened at the last scan because max_open_files were open. */
  waitingFiles: number;
  bytesRead: number;
  lines: number;
  truncatedLines: number;
  partialLines: number;
  /** Files found truncated or rewritten and read again from 0. */
  restarts: number;
}

/** The state of one file input, shared by its scan, read and bookkeeping steps (one async loop uses it). */
export interface FileInputContext {
  options: ResolvedFileInputOptions;
  discovery: Discovery;
  logger: Logger | undefined;
  /** Open files by `dev:ino`. */
  readers: Map<string, FileReader>;
  /** Acknowledged-prefix trackers by file id; they outlive the readers (acks come after a close). */
  trackers: Map<string, ContiguousAcks>;
  /**
   * How far files closed during this run were read. Reopened, they continue there rather than at their
   * acknowledged offset, so lines still in flight are not sent twice.
   */
  readUpTo: Map<string, number>;
  /** When files (by `dev:ino`) were closed in this run: with more files than slots, they open in turn. */
  closedAt: Map<string, number>;
  /** The one read buffer of this input (reading is sequential; open files do not need one each). */
  scratch: Buffer;
  firstScanDone: boolean;
  /**
   * Files (by `dev:ino`) found by the first scan and not opened yet: start_at applies to them only.
   * Files appearing later were created while we run, so all of their lines are new: read from 0.
   */
  startupFiles: Set<string>;
  running: boolean;
  /** Problems already logged (scan and open errors repeat every scan). */
  reported: Set<string>;
  stats: FileInputStats;
}
