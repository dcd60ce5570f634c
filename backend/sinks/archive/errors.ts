/** Longest slice of an offending input repeated in a message, so a hostile value cannot flood logs. */
const MAX_INPUT = 80;

export function bounded(input: string): string {
  return input.length > MAX_INPUT ? `${input.slice(0, MAX_INPUT)}…` : input;
}

/** A key or tenant name the archive layout cannot hold, or a key that is not an archive file's. */
export class ArchiveKeyError extends Error {
  readonly code = 'archive_key_invalid';
  readonly input: string;
  constructor(input: string, reason: string) {
    super(`invalid archive key or tenant '${bounded(input)}': ${reason}`);
    this.name = 'ArchiveKeyError';
    this.input = bounded(input);
  }
}

/** Rows that cannot go into the file they were given for (wrong tenant or hour, missing field, bad time). */
export class ArchiveRowsError extends Error {
  readonly code = 'archive_rows_invalid';
  /** Id of the first offending event, when there is one. */
  readonly eventId: string | undefined;
  constructor(reason: string, eventId?: string) {
    super(eventId === undefined ? reason : `event '${bounded(eventId)}': ${reason}`);
    this.name = 'ArchiveRowsError';
    this.eventId = eventId === undefined ? undefined : bounded(eventId);
  }
}

/** A listed file that is gone when read: retention deleted it in between, or someone removed it. */
export class ArchiveFileMissingError extends Error {
  readonly code = 'archive_file_missing';
  readonly key: string;
  constructor(key: string) {
    super(`archive file '${bounded(key)}' no longer exists (deleted by retention since it was listed?)`);
    this.name = 'ArchiveFileMissingError';
    this.key = key;
  }
}

/** A Parquet file that lacks the columns of the Sluice event schema (written by something else). */
export class ArchiveFormatError extends Error {
  readonly code = 'archive_format_invalid';
  constructor(reason: string) {
    super(`not a Sluice archive file: ${reason}`);
    this.name = 'ArchiveFormatError';
  }
}
