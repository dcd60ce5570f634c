const NEWLINE = 0x0a;

/**
 * Cuts an NDJSON body into two halves with (about) the same number of events, at a line boundary, for
 * a batch the gateway refused as too large (413: too many records or too many bytes; halving fixes
 * both). JSON text never holds a raw newline, so every `\n` ends one event. Undefined for a single event,
 * which cannot be split.
 */
export function splitNdjson(body: Buffer, events: number): [Buffer, Buffer] | undefined {
  if (events < 2) return undefined;
  const half = events >> 1;
  let at = -1;
  for (let i = 0; i < half; i++) {
    at = body.indexOf(NEWLINE, at + 1);
    if (at === -1) return undefined;
  }
  const cut = at + 1;
  if (cut >= body.length) return undefined;
  return [body.subarray(0, cut), body.subarray(cut)];
}
