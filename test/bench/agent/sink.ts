/**
 * The benchmark's gateway: an HTTP server that decompresses each batch, counts its lines, checks each
 * line arrived exactly once (by the `seq` field the generator wrote), and answers like the gateway
 * (`202 {accepted, rejected: 0, errors: []}`). It runs in the bench process, so its CPU is not the
 * agent's.
 */
import { Buffer } from 'node:buffer';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';

const decoders: Record<string, (body: Buffer) => Promise<Buffer>> = {
  gzip: promisify(zlib.gunzip),
  zstd: promisify(zlib.zstdDecompress),
  identity: async (body) => body,
};

const SEQ = Buffer.from('seq');
const MARKER = Buffer.from('[MASKED:');
/** Secrets are looked for in one batch of this many: enough to catch a leak, cheap enough not to slow the agent. */
const LEAK_SAMPLE = 8;

export interface RunCounts {
  /** Lines received, duplicates included. */
  lines: number;
  /** Distinct lines (by seq). */
  distinct: number;
  /** Lines received more than once. */
  duplicates: number;
  /** Lines whose seq could not be read or was out of range. */
  unknown: number;
  /** `[MASKED:` markers seen. */
  markers: number;
  /** Secrets found in the sampled batches. */
  leaks: number;
  batches: number;
  wireBytes: number;
}

export interface Sink {
  url: string;
  /** Starts counting a new run of `expected` lines; `secrets` are looked for when given. */
  reset(expected: number, secrets: readonly Buffer[]): void;
  counts(): RunCounts;
  /** Resolves when `expected` distinct lines have arrived. */
  complete(): Promise<void>;
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  let seen = new Uint8Array(0);
  let secrets: readonly Buffer[] = [];
  let counts = emptyCounts();
  let expected = 0;
  let done: (() => void) | undefined;
  let completed = Promise.resolve();

  const take = (raw: Buffer): number => {
    let lines = 0;
    for (let at = raw.indexOf(10); at !== -1; at = raw.indexOf(10, at + 1)) lines++;
    let found = 0;
    for (let at = raw.indexOf(SEQ); at !== -1; at = raw.indexOf(SEQ, at + SEQ.length)) {
      // `"seq":` in a parsed line, `\"seq\":` in a line shipped unparsed (the message of its event).
      let p = at + SEQ.length;
      if (raw[p] === 34) p++;
      else if (raw[p] === 92 && raw[p + 1] === 34) p += 2;
      if (raw[p] !== 58) continue;
      p++;
      found++;
      let seq = 0;
      const digits = p;
      for (let c = raw[p]; c >= 48 && c <= 57; c = raw[++p]) seq = seq * 10 + (c - 48);
      if (p === digits || seq >= seen.length) counts.unknown++;
      else if (seen[seq]++ === 0) counts.distinct++;
      else counts.duplicates++;
    }
    counts.unknown += Math.max(0, lines - found);
    for (let at = raw.indexOf(MARKER); at !== -1; at = raw.indexOf(MARKER, at + MARKER.length))
      counts.markers++;
    if (secrets.length > 0 && counts.batches % LEAK_SAMPLE === 0) {
      for (const secret of secrets) if (raw.includes(secret)) counts.leaks++;
    }
    counts.lines += lines;
    counts.batches++;
    return lines;
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      counts.wireBytes += body.length;
      const decode = decoders[String(req.headers['content-encoding'] ?? 'identity')];
      if (decode === undefined) {
        res.writeHead(415).end();
        return;
      }
      decode(body).then(
        (raw) => {
          const lines = take(raw);
          res.writeHead(202, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ accepted: lines, rejected: 0, errors: [] }));
          if (counts.distinct >= expected && done !== undefined) {
            done();
            done = undefined;
          }
        },
        (error: unknown) => {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'bad_body', message: String(error) } }));
        },
      );
    });
  };

  const server = createServer(handle);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}`,
    reset(lines, wanted) {
      expected = lines;
      seen = new Uint8Array(lines);
      secrets = wanted;
      counts = emptyCounts();
      completed = new Promise<void>((resolve) => {
        done = resolve;
      });
    },
    counts: () => ({ ...counts }),
    complete: () => completed,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function emptyCounts(): RunCounts {
  return { lines: 0, distinct: 0, duplicates: 0, unknown: 0, markers: 0, leaks: 0, batches: 0, wireBytes: 0 };
}
