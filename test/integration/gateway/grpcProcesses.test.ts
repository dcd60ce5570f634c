/**
 * The OTLP/gRPC listener with `listen.processes: 2`: every gateway process listens on the same gRPC port
 * (node:cluster shares it as it shares the HTTP one), each new connection goes to one of them in turn,
 * every export a process acknowledged is searchable through the primary's query API, and /readyz names a
 * gateway process that cannot answer its checks.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { stringify } from 'yaml';
import { ROLE_NAMES } from '../../../backend/roles/table.ts';
import { ExportLogsServiceRequest } from '../../../gateway/protocols/otlp/protobuf.ts';
import { logsClient } from '../../../gateway/protocols/otlp-grpc/testing/logsClient.ts';
import { freePort } from '../../helpers/freePort.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { type SluiceProcess, startSluice } from '../pipeline/harness/sluiceProcess.ts';

const EXPORTS = 8;

/** Pids whose parent is `pid` (the gateway processes of a primary), from /proc. */
function childrenOf(pid: number): number[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
    readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8')
      .split(' ')
      .filter((s) => s !== '')
      .map(Number),
  );
}

/** GET /readyz on a connection of its own (the cluster hands each to the next process), bounded. */
function readyzOnNewConnection(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = get(`${url}/readyz`, { agent: false, timeout: 4000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', reject);
  });
}

function exportRequest(n: number): Buffer {
  const message = ExportLogsServiceRequest.fromObject({
    resourceLogs: [
      {
        resource: { attributes: [{ key: 'service.name', value: { stringValue: 'grpc-processes' } }] },
        scopeLogs: [{ logRecords: [{ body: { stringValue: `cluster export ${n}` } }] }],
      },
    ],
  });
  return Buffer.from(ExportLogsServiceRequest.encode(message).finish());
}

describe('OTLP/gRPC with several gateway processes on one port', () => {
  let dir: string;
  let proc: SluiceProcess | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-grpc-processes-'));
  });
  after(async () => {
    await proc?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes exports on new connections through every process, all of them searchable', async () => {
    const grpcAddress = `127.0.0.1:${await freePort()}`;
    const configFile = join(dir, 'sluice.yaml');
    await writeFile(
      configFile,
      stringify({
        listen: { gateway: '127.0.0.1:0', processes: 2, otlp_grpc: grpcAddress },
        bus: { kind: 'embedded', dir: join(dir, 'bus'), partitions: 2 },
        search: { kind: 'sqlite', path: join(dir, 'search') },
        metrics: { kind: 'sqlite', path: join(dir, 'metrics.db') },
        archive: { kind: 'local', dir: join(dir, 'archive') },
      }),
    );
    proc = await startSluice({ name: 'standalone', configFile, roles: ROLE_NAMES, dir });
    const running = proc;
    for (let n = 0; n < EXPORTS; n++) {
      // A client of its own is a connection of its own: the cluster hands each to the next process.
      const client = logsClient(grpcAddress);
      const { error } = await waitFor(
        `export ${n} acknowledged`,
        async () => {
          const answer = await client.call(exportRequest(n), null);
          return answer.error === null ? answer : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 200, context: () => running.logTail(30) },
      );
      client.close();
      assert.equal(error, null);
    }
    // /readyz asks every gateway process for its own checks (its OTLP/gRPC listener among them): one that
    // cannot answer (stopped, as a hung process would be) takes the port out of rotation, named by pid.
    const [stopped] = childrenOf(running.pid);
    const readyz = () => readyzOnNewConnection(running.url).catch(() => ({ status: 0, body: '' })); // the stopped one's
    process.kill(stopped, 'SIGSTOP');
    try {
      const notReady = await waitFor(
        '/readyz to name the stopped gateway process',
        async () => {
          const answer = await readyz();
          return answer.status === 503 && answer.body.includes(`pid ${stopped}`) ? answer : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 200, context: () => running.logTail(30) },
      );
      assert.match(notReady.body, /"component":"gateway process"/);
    } finally {
      process.kill(stopped, 'SIGCONT');
    }
    await waitFor('/readyz 200 once the process answers again', async () => (await readyz()).status === 200, {
      timeoutMs: 30_000,
      intervalMs: 200,
      context: () => running.logTail(30),
    });
    await waitFor(
      'every export searchable through the port',
      async () => {
        const res = await fetch(
          `${running.url}/api/v1/search?q=service:grpc-processes&from=now-1h&limit=100`,
        );
        const body = (await res.json()) as { total: { value: number } };
        return body.total.value === EXPORTS;
      },
      { timeoutMs: 60_000, intervalMs: 200, context: () => running.logTail(30) },
    );
  });
});
