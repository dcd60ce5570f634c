import type { LogEvent } from '../../../core/event/types.ts';
import type { SearchCursor } from '../../../core/ports/searchStore.ts';
import { parseTimestamp } from '../../../core/time/timestamp.ts';

/**
 * Cursors are the (ts, id) of the last hit of a page, the same for both stores: each derives its
 * own sort key from it (SQLite: whole milliseconds, OpenSearch: nanoseconds), so a page boundary
 * is a position in the order, not an offset, and stays right while new events arrive. (The query
 * API wraps them into its opaque `next_cursor`, backend/query/cursor.ts.)
 */
export class CursorInvalidError extends Error {
  readonly code = 'cursor_invalid';

  constructor(message: string) {
    super(message);
    this.name = 'CursorInvalidError';
  }
}

export interface CursorPosition {
  /** Event time rounded down to the millisecond. */
  ms: number;
  /** Normalized RFC 3339 (UTC, up to ns): OpenSearch reads it as a date_nanos search_after value. */
  iso: string;
  id: string;
}

export function cursorAfter(event: LogEvent): SearchCursor {
  return { ts: event.ts, id: event.id };
}

export function cursorPosition(cursor: SearchCursor): CursorPosition {
  if (typeof cursor?.ts !== 'string' || typeof cursor.id !== 'string')
    throw new CursorInvalidError('cursor must hold the ts and id of the last hit');
  try {
    const { ms, iso } = parseTimestamp(cursor.ts);
    return { ms, iso, id: cursor.id };
  } catch {
    // Whatever parseTimestamp objects to, the caller only needs to know the cursor is unusable.
    throw new CursorInvalidError('cursor holds an unreadable time; start again from the first page');
  }
}
