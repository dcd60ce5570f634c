/**
 * The benchmark's input: a deterministic file of JSON log lines (~210 bytes each), 5 % of them
 * carrying a secret in one of the shapes of the masking corpus (test/fixtures/masking/cases.jsonl).
 * Every line has a `seq` field (its line number), so the sink can check each line arrived exactly once.
 * Same seed, same bytes: runs and machines compare like with like.
 */

import { once } from 'node:events';
import { createWriteStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { mulberry32 } from '../../../core/random/mulberry32.ts';

export interface GeneratedFile {
  path: string;
  lines: number;
  bytes: number;
  /** Lines carrying a secret. */
  secretLines: number;
  /** Every secret written into the file: none may reach the sink when masking is on. */
  secrets: string[];
}

interface CorpusCase {
  name: string;
  input: string;
  secrets: string[];
}

function secretCases(): CorpusCase[] {
  const text = readFileSync(new URL('../../fixtures/masking/cases.jsonl', import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as CorpusCase)
    .filter((c) => c.secrets.length > 0);
}

const LEVELS = ['info', 'info', 'info', 'info', 'info', 'debug', 'debug', 'warn', 'error'];
const LOGGERS = ['http', 'db', 'payments', 'cache', 'auth'];
const PATHS = ['/api/v1/orders', '/api/v1/cart', '/api/v1/users', '/healthz', '/api/v1/payments'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const START_MS = Date.UTC(2026, 10, 24, 0, 0, 0);

/** One line of the file, without its newline. */
function line(i: number, rand: () => number, cases: CorpusCase[]): { text: string; secret: boolean } {
  const ms = START_MS + i * 3 + Math.floor(rand() * 3);
  const shape = rand();
  // Mostly canonical times (what JSON loggers write), some epoch numbers and zone offsets, so the
  // slow paths of time parsing are part of what is measured.
  const time =
    shape < 0.85
      ? `"ts":"${new Date(ms).toISOString()}"`
      : shape < 0.95
        ? `"time":${ms}`
        : `"timestamp":"${new Date(ms + 3_600_000).toISOString().slice(0, 23)}+01:00"`;
  const level = LEVELS[Math.floor(rand() * LEVELS.length)];
  const logger = LOGGERS[Math.floor(rand() * LOGGERS.length)];
  const method = METHODS[Math.floor(rand() * METHODS.length)];
  const path = PATHS[Math.floor(rand() * PATHS.length)];
  const status = level === 'error' ? 503 : level === 'warn' ? 429 : 200;
  const duration = Math.floor(rand() * 900);
  const order = Math.floor(rand() * 1e6);
  const cid =
    rand() < 0.25
      ? `,"correlation_id":"0193f2c4-${(order % 0xffff).toString(16).padStart(4, '0')}-7cc2-9a43-5d2e8f1a6b90"`
      : '';
  const secret = rand() < 0.05;
  let msg: string;
  let extra = '';
  if (secret) {
    const c = cases[Math.floor(rand() * cases.length)];
    msg = c.input;
    // A few secrets come as a field of their own rather than inside the message text.
    if (rand() < 0.25) extra = `,"password":${JSON.stringify(c.secrets[0])}`;
  } else {
    msg = `${method} ${path}/A-${order} ${status} ${duration}ms`;
  }
  const text =
    `{${time},"level":"${level}","logger":"${logger}","msg":${JSON.stringify(msg)},"seq":${i}` +
    `,"http":{"method":"${method}","status":${status},"duration_ms":${duration}}` +
    `,"user_id":"u-${order % 50_000}"${cid}${extra}}`;
  return { text, secret };
}

/** Writes `lines` lines to `path` unless a file of exactly that content is already there. */
export async function generate(path: string, lines: number, seed = 20261124): Promise<GeneratedFile> {
  const cases = secretCases();
  const secrets = [...new Set(cases.flatMap((c) => c.secrets))];
  const rand = mulberry32(seed);
  // The content is a pure function of (lines, seed): count it first, then reuse an existing file of
  // that size rather than write 400 MB again.
  let bytes = 0;
  let secretLines = 0;
  const chunks: string[] = [];
  const existing = await stat(path).catch(() => undefined);
  const sizing = mulberry32(seed);
  for (let i = 0; i < lines; i++) {
    const l = line(i, sizing, cases);
    bytes += Buffer.byteLength(l.text) + 1;
    if (l.secret) secretLines++;
  }
  if (existing?.size === bytes) return { path, lines, bytes, secretLines, secrets };

  const out = createWriteStream(path);
  let pending = 0;
  for (let i = 0; i < lines; i++) {
    chunks.push(line(i, rand, cases).text);
    pending++;
    if (pending === 10_000 || i === lines - 1) {
      if (!out.write(`${chunks.join('\n')}\n`)) await once(out, 'drain');
      chunks.length = 0;
      pending = 0;
    }
  }
  out.end();
  await once(out, 'finish');
  return { path, lines, bytes, secretLines, secrets };
}
