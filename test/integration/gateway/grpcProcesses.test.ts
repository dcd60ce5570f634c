/**
 * The OTLP/gRPC listener with `listen.processes: 2`: every gateway process listens on the same gRPC port
 * (node:cluster shares it as it shares the HTTP one), each new connection goes to one of them in turn,
 * and every export a process acknowledged is searchable through the primary's query API.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
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
