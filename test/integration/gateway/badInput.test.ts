import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type ClientRequest, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { cleanUp } from './harness/cleanup.ts';
import {
  authSection,
  type GatewayProcess,
  startGatewayProcess,
  type TestKey,
  writeSluiceYaml,
} from './harness/gatewayProcess.ts';

const KEY: TestKey = { name: 'bad-input', key: 'it-key-bad-input-c3d9', tenant: 'acme' };
const MiB = 1024 * 1024;

interface Answer {
  status: number;
  body: { error?: { code?: string; message?: string }; accepted?: number };
}

/**
 * POSTs with node:http, which (unlike fetch) hands over the answer even when the server answers before
 * the upload is finished and stops reading: that early answer is what a client of an oversized body gets.
 * `chunks` are written one after the other; with `contentLength` the size is declared up front, without
 * it the body goes chunked.
 */
function post(
  url: string,
  headers: Record<string, string>,
  chunks: Iterable<Buffer>,
  contentLength?: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/v1/ingest`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${KEY.key}`,
        'content-type': 'application/x-ndjson',
        ...headers,
        ...(contentLength === undefined ? {} : { 'content-length': String(contentLength) }),
      },
    });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, body: text === '' ? {} : JSON.parse(text) });
        } catch {
          reject(new Error(`answer ${res.statusCode} is not JSON: ${text.slice(0, 200)}`));
        }
      });
    });
    // Once the server has answered and closed, the rest of the upload fails to write; that is expected.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    (async () => {
      for (const chunk of chunks) {
        if (answered || req.destroyed) return;
        if (!req.write(chunk)) await drainedOrClosed(req);
      }
      req.end();
    })().catch(reject);
  });
}

function drainedOrClosed(req: ClientRequest): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      req.off('drain', done);
      req.off('close', done);
      resolve();
    };
    req.on('drain', done);
    req.on('close', done);
  });
}

/** A figure of /proc/<pid>/status in MiB, e.g. VmRSS (resident now) or VmHWM (the peak so far). */
async function memoryMiB(pid: number, field: 'VmRSS' | 'VmHWM'): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1];
  assert.ok(kib !== undefined, `${field} in /proc/${pid}/status`);
  return Number(kib) / 1024;
}

function* repeated(chunk: Buffer, totalBytes: number): Generator<Buffer> {
  for (let sent = 0; sent < totalBytes; sent += chunk.length) yield chunk;
}

describe('bad input against the real gateway process', () => {
  let dir: string;
  let gateway: GatewayProcess;
  // 1 MiB of valid NDJSON lines, repeated to make a 50 MB body.
  const line = Buffer.from(`${JSON.stringify({ level: 'info', message: 'x'.repeat(200) })}\n`);
  const mebibyte = Buffer.concat(Array.from({ length: Math.ceil(MiB / line.length) }, () => line)).subarray(
    0,
    MiB,
  );

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-gw-bad-input-'));
    const config = await writeSluiceYaml(dir, {
      roles: ['gateway'],
      listen: { gateway: '127.0.0.1:0' },
      bus: { kind: 'embedded', dir: join(dir, 'bus') },
      auth: authSection([KEY]),
      limits: { max_body: '10MiB' },
      log: { level: 'info' },
    });
    gateway = await startGatewayProcess(config, dir);
  });

  after(() =>
    cleanUp(
      () => gateway?.stop(),
      () => dir && rm(dir, { recursive: true, force: true }),
    ),
  );

  async function assertStillHealthy() {
    assert.equal(
      gateway.exitCode(),
      undefined,
      `the gateway process is still running\n${gateway.logTail(10)}`,
    );
    const health = await fetch(`${gateway.url}/healthz`);
    assert.equal(health.status, 200);
    await health.arrayBuffer();
    const ok = await post(gateway.url, {}, [Buffer.from('{"message":"still taking logs"}\n')]);
    assert.equal(ok.status, 202, 'and it still ingests');
    assert.equal(ok.body.accepted, 1);
  }

  it('answers 413 to a declared 50 MB body', async () => {
    const answer = await post(gateway.url, {}, repeated(mebibyte, 50 * MiB), 50 * MiB);
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error?.code, 'body_too_large');
    await assertStillHealthy();
  });

  it('answers 413 to a 50 MB chunked body once it passes the limit', async () => {
    const answer = await post(gateway.url, {}, repeated(mebibyte, 50 * MiB));
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error?.code, 'body_too_large');
    await assertStillHealthy();
  });

  it('answers 400 to a body that is not the gzip it claims to be', async () => {
    const valid = gzipSync('{"message":"hello"}\n');
    for (const body of [Buffer.from('definitely not gzip'), valid.subarray(0, valid.length - 8)]) {
      const answer = await post(gateway.url, { 'content-encoding': 'gzip' }, [body]);
      assert.equal(answer.status, 400);
      assert.equal(answer.body.error?.code, 'bad_encoding');
    }
    await assertStillHealthy();
  });

  it('answers 413 to four bodies of 3.4 million tiny records at once without parsing them (bounded memory)', async () => {
    const tiny = gzipSync('{}\n'.repeat(3_400_000)); // 10.2 MB of records, under max_body, in about 10 KB
    assert.ok(tiny.length < 20 * 1024);
    await writeFile(`/proc/${gateway.pid}/clear_refs`, '5'); // resets VmHWM to the resident size now
    const before = await memoryMiB(gateway.pid, 'VmRSS');
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => post(gateway.url, { 'content-encoding': 'gzip' }, [tiny])),
    );
    for (const answer of answers) {
      assert.equal(answer.status, 413);
      assert.equal(answer.body.error?.code, 'too_many_records');
    }
    // Parsed whole, four of these held 1.3 GB; refused at the limit, each costs about its inflated size.
    const grown = (await memoryMiB(gateway.pid, 'VmHWM')) - before;
    assert.ok(grown < 300, `peak RSS grew by ${grown.toFixed(0)} MiB`);
    await assertStillHealthy();
  });

  it('answers 413 to a small gzip body that inflates past the limit (a gzip bomb)', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * MiB, 0x20)); // 64 MiB of spaces in about 64 KiB
    assert.ok(bomb.length < MiB);
    const answer = await post(gateway.url, { 'content-encoding': 'gzip' }, [bomb]);
    assert.equal(answer.status, 413);
    assert.equal(answer.body.error?.code, 'body_too_large');
    await assertStillHealthy();
  });
});
