const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A line whose bytes are not valid UTF-8: refused by index, the other lines still go through. */
export const INVALID_UTF8: unique symbol = Symbol('invalid UTF-8');
export type Line = string | typeof INVALID_UTF8;

/**
 * The non-blank lines of an NDJSON body, one at a time (a trailing `\r` dropped), so a decoder can stop
 * at its record limit without splitting the rest. Valid UTF-8 (the common case) is decoded once; when
 * the body has invalid bytes, each line is decoded on its own so only the bad lines are refused.
 */
export function* ndjsonLines(body: Buffer): Generator<Line, void, undefined> {
  const text = decodeUtf8(body);
  if (text !== null) {
    for (let start = 0; start <= text.length; ) {
      let nl = text.indexOf('\n', start);
      if (nl === -1) nl = text.length;
      const line = text.slice(start, nl);
      start = nl + 1;
      if (line.trim() !== '') yield line.endsWith('\r') ? line.slice(0, -1) : line;
    }
    return;
  }
  for (let start = 0; start <= body.length; ) {
    let nl = body.indexOf(10, start);
    if (nl === -1) nl = body.length;
    const slice = body.subarray(start, nl);
    start = nl + 1;
    if (!slice.some((b) => b !== 32 && b !== 9 && b !== 13)) continue;
    const line = decodeUtf8(slice);
    yield line === null ? INVALID_UTF8 : line.replace(/\r$/, '');
  }
}

function decodeUtf8(body: Uint8Array): string | null {
  try {
    return strictUtf8.decode(body);
  } catch {
    return null; // not UTF-8: the caller refuses it with its own reason
  }
}
