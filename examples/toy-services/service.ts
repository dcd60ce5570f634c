/**
 * What both toy services share: a node:http server on `PORT` (0 picks a free port), a JSON-lines log in
 * `LOG_FILE`, one `{"message":"listening","url":…}` line on stdout once it listens, and a clean stop on
 * SIGTERM/SIGINT.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type JsonLog, openJsonLog } from './jsonLog.ts';

export const CORRELATION_HEADER = 'x-correlation-id';

export type Handler = (req: IncomingMessage, res: ServerResponse, log: JsonLog) => Promise<void>;

export function runService(name: string, defaultPort: number, handler: Handler): void {
  const port = Number(process.env.PORT ?? defaultPort);
  const log = openJsonLog(process.env.LOG_FILE ?? `./logs/${name}.log`, name);
  const server = createServer((req, res) => {
    handler(req, res, log).catch((error: unknown) => {
      log.warn('request failed', correlationIdOf(req), { error: (error as Error).message });
      if (!res.headersSent) sendJson(res, 500, { error: (error as Error).message });
      else res.destroy();
    });
  });
  server.listen(port, '127.0.0.1', () => {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    console.log(JSON.stringify({ service: name, message: 'listening', url }));
  });
  const stop = () => {
    server.close();
    server.closeIdleConnections();
    void log.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** The id the gateway put on the request (kept or minted there); null when called around the gateway. */
export function correlationIdOf(req: IncomingMessage): string | null {
  const value = req.headers[CORRELATION_HEADER];
  return typeof value === 'string' ? value : null;
}

export async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
