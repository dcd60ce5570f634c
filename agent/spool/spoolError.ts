/** A spool operation that cannot be done; `code` is stable for callers and logs. */
export class SpoolError extends Error {
  readonly code: 'spool_full' | 'spool_corrupt' | 'spool_io';
  /** The spool file concerned, when there is one. */
  readonly file: string | undefined;

  constructor(code: SpoolError['code'], message: string, options: { file?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'SpoolError';
    this.code = code;
    this.file = options.file;
  }
}
