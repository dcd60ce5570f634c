/**
 * Server-sent events read with fetch() instead of EventSource, because EventSource cannot send the
 * `Authorization` header the query API needs, and putting the key in the URL would leak it into access
 * logs and history. The parser follows the HTML spec's event-stream rules: lines end in CRLF, LF or CR;
 * `data` lines join with `\n`; a blank line dispatches; lines starting with `:` are comments (heartbeats).
 */

/**
 * An incremental parser: feed it text as it arrives (chunks may split lines anywhere, even a CRLF) and it
 * calls `onMessage({ event, data, id })` for each complete message. `event` defaults to `message`.
 */
export function createSseParser(onMessage) {
  let buffer = '';
  let pendingCr = false; // the last chunk ended in CR: a LF starting the next one belongs to it
  let data = [];
  let event = '';
  let id = '';

  const line = (text) => {
    if (text === '') {
      if (data.length > 0) onMessage({ event: event || 'message', data: data.join('\n'), id });
      data = [];
      event = '';
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') data.push(value);
    else if (field === 'event') event = value;
    else if (field === 'id' && !value.includes('\0')) id = value;
    // `retry` and unknown fields are ignored: reconnecting is the caller's policy.
  };

  return {
    push(chunk) {
      let text = chunk;
      if (pendingCr && text.startsWith('\n')) text = text.slice(1);
      pendingCr = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer.charCodeAt(i);
        if (c !== 10 && c !== 13) continue;
        line(buffer.slice(start, i));
        if (c === 13) {
          if (i + 1 === buffer.length) pendingCr = true;
          else if (buffer.charCodeAt(i + 1) === 10) i++;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
  };
}

/**
 * Reads an event-stream response body to its end, passing each message to `onMessage`. Resolves when the
 * server closes the stream, rejects when the read fails or the request is aborted.
 */
export async function readEventStream(body, onMessage) {
  const parser = createSseParser(onMessage);
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      parser.push(value);
    }
  } finally {
    reader.releaseLock();
  }
}
