export type CheckpointErrorCode = 'checkpoint_corrupt' | 'checkpoint_unreadable' | 'checkpoint_write_failed';

const ADVICE: Record<CheckpointErrorCode, string> = {
  checkpoint_corrupt:
    'it was moved aside and every file is read from its beginning (stores drop the duplicates by event id)',
  checkpoint_unreadable: 'check that state_dir exists and that the agent may read it',
  checkpoint_write_failed:
    'the previous checkpoint is still intact; check free space and permissions of state_dir (retrying)',
};

/** A problem with an input's checkpoint file; the message says what happens next and what to check. */
export class CheckpointError extends Error {
  readonly code: CheckpointErrorCode;
  readonly path: string;
  /** What went wrong underneath (bounded), without the advice. */
  readonly reason: string;

  constructor(code: CheckpointErrorCode, path: string, reason: string) {
    const bounded = reason.length > 200 ? `${reason.slice(0, 200)}…` : reason;
    super(`checkpoint file ${path}: ${bounded}; ${ADVICE[code]}`);
    this.name = 'CheckpointError';
    this.code = code;
    this.path = path;
    this.reason = bounded;
  }
}
