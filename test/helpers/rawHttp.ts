import { connect } from 'node:net';

/**
 * Sends one HTTP/1.1 request exactly as written (request target, headers) over a fresh socket and returns
 * the status (0 when the server closed the connection without one) and body: fetch() and node:http normalise or refuse the odd targets hostile-input tests need.
 */
export function rawRequest(
  baseUrl: string,
  requestLine: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<{ status: number; body: string }> {
  const { hostname, port, host } = new URL(baseUrl);
  const lines = [requestLine];
  const all: Record<string, string> = { host, connection: 'close', ...headers };
  if (body !== '' && all['content-length'] === undefined)
    all['content-length'] = String(Buffer.byteLength(body));
  for (const [name, value] of Object.entries(all)) lines.push(`${name}: ${value}`);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname.replace(/^\[|\]$/g, ''));
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${requestLine}`)));
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      if (m === null) {
        // The server closed without an answer (Node does for CONNECT and unparsable requests).
        resolve({ status: 0, body: text });
        return;
      }
      const split = text.indexOf('\r\n\r\n');
      resolve({ status: Number(m[1]), body: split === -1 ? '' : text.slice(split + 4) });
    });
    socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  });
}
