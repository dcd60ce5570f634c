import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { createLogger } from '../log/logger.ts';
import { apiErrorHandler } from './errorHandler.ts';
import { listen } from './listen.ts';

describe('apiErrorHandler', () => {
  it('logs an upload the client abandoned at info, without a stack trace', async () => {
    const lines: Array<{ level: string; message: string; error?: string }> = [];
    const log = createLogger({ level: 'debug', write: (line) => lines.push(JSON.parse(line)) });
    const app = new Hono();
    app.onError(apiErrorHandler(log));
    app.post('/upload', async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }));
    const server = await listen(app.fetch, { address: '127.0.0.1:0', hasKeys: true });
    try {
      for (let i = 0; i < 3; i++) {
        const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
        socket.write('POST /upload HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-length: 100000\r\n\r\npartial');
        await new Promise((r) => setTimeout(r, 100));
        socket.destroy();
      }
      for (const deadline = Date.now() + 3000; lines.length < 3 && Date.now() < deadline; ) {
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      await server.close();
    }
    assert.equal(lines.length, 3);
    for (const line of lines) {
      assert.equal(line.level, 'info');
      assert.match(line.message, /client closed the connection/);
      assert.doesNotMatch(JSON.stringify(line), /\n\s+at |node:_http_server/);
    }
  });
});
