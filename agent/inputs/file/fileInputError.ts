export type FileInputErrorCode =
  | 'glob_invalid'
  | 'option_invalid'
  | 'scan_failed'
  | 'open_failed'
  | 'read_failed';

const ADVICE: Record<FileInputErrorCode, string> = {
  glob_invalid: 'fix the pattern in `paths` or `exclude`',
  option_invalid: 'fix the file input options',
  scan_failed: 'check that the agent may list this directory; matching files in it are skipped until it can',
  open_failed: 'check that the agent may read this file; it is retried at the next scan',
  read_failed: 'the file was closed and is reopened at the next scan, resuming where reading stopped',
};

/** A problem of the file input, naming the path or pattern it concerns and what to do about it. */
export class FileInputError extends Error {
  readonly code: FileInputErrorCode;
  /** The path or pattern concerned (bounded). */
  readonly subject: string;

  constructor(code: FileInputErrorCode, subject: string, reason: string) {
    const bounded = subject.length > 200 ? `${subject.slice(0, 200)}…` : subject;
    super(`${bounded}: ${reason}; ${ADVICE[code]}`);
    this.name = 'FileInputError';
    this.code = code;
    this.subject = bounded;
  }
}
