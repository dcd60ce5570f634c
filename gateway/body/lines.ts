const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Splits an NDJSON body into lines. Valid UTF-8 (the common case) is decoded once; when the body has
 * invalid bytes, each line is decoded on its own so only the bad lines are refused, by index.
 */
export function splitLines(body: Buffer): Array<string | { invalidUtf8: true }> {
  let text: string | undefined;
  try {
    text = strictUtf8.decode(body);
  } catch {
    // Invalid UTF-8 somewhere: fall through to per-line decoding below.
  }
  const out: Array<string | { invalidUtf8: true }> = [];
  if (text !== undefined) {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      const line = nl === -1 ? text.slice(start) : text.slice(start, nl);
      if (line.trim() !== '') out.push(line.endsWith('\r') ? line.slice(0, -1) : line);
      if (nl === -1) break;
      start = nl + 1;
    }
    return out;
  }
  let start = 0;
  while (start <= body.length) {
    let nl = body.indexOf(10, start);
    if (nl === -1) nl = body.length;
    const slice = body.subarray(start, nl);
    if (slice.some((b) => b !== 32 && b !== 9 && b !== 13)) {
      try {
        out.push(strictUtf8.decode(slice).replace(/\r$/, ''));
      } catch {
        out.push({ invalidUtf8: true });
      }
    }
    start = nl + 1;
  }
  return out;
}

export function decodeUtf8(body: Buffer): string | null {
  try {
    return strictUtf8.decode(body);
  } catch {
    return null;
  }
}
