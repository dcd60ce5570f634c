import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import * as zlib from 'node:zlib';

/** How the fake gateway answers one request. */
export type Answer =
  | { status: number; headers?: Record<string, string>; body?: unknown }
  /** Drop the connection without an answer. */
  | 'destroy'
  /** Never answer (until the server goes down). */
  | 'hang';

export interface IncomingBatch {
  /** 0-based number of this request since start. */
  index: number;
  encoding: string;
  authorization: string | undefined;
  events: Array<Record<string, unknown>>;
  /** performance.now() when the body was read. */
  at: number;
}

/**
 * A stand-in for the gateway that the shipper tests can steer: it decodes and parses every batch like
 * the real one, answers what `answer` says (202 by default), records what it accepted in order, and can
 * go down (port closed, connections cut) and come back on the same port.
 */
export class FakeGateway {
  url = '';
  /** Every request that arrived, answered or not. */
  readonly requests: IncomingBatch[] = [];
  /** Events of the batches answered with 2xx, in the order they were accepted. */
  readonly accepted: Array<Record<string, unknown>> = [];
  answer: (batch: IncomingBatch) => Answer = () => ({ status: 202 });
  /** `GET /readyz` requests answered (the agent probes while it backs off). */
  probes = 0;
  /** What `GET /readyz` answers while the server is up. */
  readyStatus = 200;
  private server: Server | undefined;
  private port = 0;
  private sockets = new Set<Socket>();

  async start(): Promise<this> {
    await this.up();
    return this;
  }

  async up(): Promise<void> {
    const server = createServer((req, res) => {
      if (req.method === 'GET') {
        this.probes++;
        res.writeHead(this.readyStatus, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      void read(req).then((raw) => {
        const encoding = String(req.headers['content-encoding'] ?? 'identity');
        const batch: IncomingBatch = {
          index: this.requests.length,
          encoding,
          authorization: req.headers.authorization,
          events: decode(raw, encoding),
          at: performance.now(),
        };
        this.requests.push(batch);
        const answer = this.answer(batch);
        if (answer === 'hang') return;
        if (answer === 'destroy') {
          req.socket.destroy();
          return;
        }
        if (answer.status >= 200 && answer.status < 300) this.accepted.push(...batch.events);
        const body =
          answer.body ??
          (answer.status === 202 ? { accepted: batch.events.length, rejected: 0, errors: [] } : {});
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(body));
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (typeof address === 'object' && address !== null) this.port = address.port;
    this.url = `http://127.0.0.1:${this.port}`;
    this.server = server;
  }

  /** Closes the port and cuts every connection: the agent sees connection refused/reset. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  /** Accepted events of one source, in the order they were accepted. */
  offsetsOf(fileId: string): number[] {
    return this.accepted.filter((e) => e.file === fileId).map((e) => e.offset as number);
  }
}

function read(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function decode(raw: Buffer, encoding: string): Array<Record<string, unknown>> {
  const text = (
    encoding === 'gzip' ? zlib.gunzipSync(raw) : encoding === 'zstd' ? zlib.zstdDecompressSync(raw) : raw
  ).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line));
}
