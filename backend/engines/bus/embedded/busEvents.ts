/**
 * What the embedded bus reports about itself (for logs and metrics), and the counters it keeps. Events are
 * plain JSON-friendly data (errors as their message) so a structured logger can print them as they are.
 */

export type BusEvent =
  | { type: 'tail-truncated'; file: string; truncatedBytes: number; reason: string }
  | { type: 'offset-reset'; group: string; topic: string; partition: number; from: number; to: number }
  | {
      type: 'handler-failed';
      group: string;
      topic: string;
      partition: number;
      attempt: number;
      error: unknown;
    }
  | { type: 'commit-failed'; group: string; error: string }
  | { type: 'read-failed'; group: string; topic: string; partition: number; error: string }
  | { type: 'segments-deleted'; topic: string; partition: number; count: number };

export interface EmbeddedBusStats {
  appendedRecords: number;
  appendRounds: number;
  fsyncs: number;
  rolls: number;
  segmentsDeleted: number;
  truncatedBytes: number;
  /** Times a group's committed offset was outside the log (behind retention) and it resumed elsewhere. */
  offsetResets: number;
  handlerFailures: number;
}

export function emptyStats(): EmbeddedBusStats {
  return {
    appendedRecords: 0,
    appendRounds: 0,
    fsyncs: 0,
    rolls: 0,
    segmentsDeleted: 0,
    truncatedBytes: 0,
    offsetResets: 0,
    handlerFailures: 0,
  };
}

/** An error as one line for an event: its name and message (thrown non-errors as text). */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
