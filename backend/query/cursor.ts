import { ApiError } from '../../core/http/apiError.ts';
import type { SearchCursor } from '../../core/ports/searchStore.ts';
import { parseTimestamp } from '../../core/time/index.ts';

const RFC3339_START = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Which store a page came from: a search with `source=auto` pages through the hot store, then the archive (or back). */
export type Phase = 'hot' | 'archive';

export interface PageCursor {
  phase: Phase;
  after: SearchCursor;
}

/**
 * Cursors are opaque to clients: base64url JSON of the last hit's (ts, id) and the phase. They carry no
 * tenant, services or range: those always come from the key and the request, so a forged or reused
 * cursor can move within a key's own events but never outside them.
 */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(
    JSON.stringify({ v: 1, p: cursor.phase, t: cursor.after.ts, i: cursor.after.id }),
  ).toString('base64url');
}

export function decodeCursor(text: string | undefined): PageCursor | undefined {
  if (text === undefined || text === '') return undefined;
  try {
    if (text.length > 1024) throw new Error('too long');
    const c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (
      c?.v !== 1 ||
      (c.p !== 'hot' && c.p !== 'archive') ||
      typeof c.t !== 'string' ||
      typeof c.i !== 'string'
    ) {
      throw new Error('unknown shape');
    }
    // Cursors carry an event's RFC 3339 `ts`. Both readers must agree on it: Date.parse (archive order)
    // and the stores' parser, which would otherwise refuse a forged cursor deep inside the store (a 500)
    // or read `2026` as epoch seconds where Date.parse reads a year.
    if (!RFC3339_START.test(c.t) || Number.isNaN(Date.parse(c.t)) || c.i.length > 128)
      throw new Error('bad position');
    if (parseTimestamp(c.t).ms !== Date.parse(c.t)) throw new Error('ambiguous time');
    return { phase: c.p, after: { ts: c.t, id: c.i } };
  } catch {
    throw new ApiError(400, 'bad_cursor', 'the cursor is not one this API issued; start again without it');
  }
}
