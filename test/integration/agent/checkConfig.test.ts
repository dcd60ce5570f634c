/**
 * `sluice-agent --check-config` beyond the file: against the real gateway app (keys and all, on an
 * in-memory bus), a port nobody listens on, a wrong key, a state_dir that cannot be written, and paths that
 * match no file or several. One line per component; exit 1 when one fails, 0 otherwise.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import * as net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../../helpers/freePort.ts';
import { TEST_KEYS } from '../../helpers/gatewayFixture.ts';
import { AGENT_MAIN, startGateway, tempDir } from './agentHarness.ts';

describe('sluice-agent --check-config checks the gateway, state_dir and paths', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let logs: string;

  before(async () => {
    gateway = await startGateway();
    dir = await tempDir('sluice-agent-check-');
    logs = join(dir.path, 'logs');
    await mkdir(logs);
    for (const name of ['a.log', 'b.log', 'c.log', 'old.log.gz']) await writeFile(join(logs, name), 'x\n');
  });
  after(async () => {
    await gateway.close();
    await dir.remove();
  });

  /** Writes agent.yaml with these settings and runs the check: exit code and the report's lines. */
  const check = async (
    name: string,
    o: { url?: string; key?: string; stateDir?: string; paths?: string[]; inputs?: string[] } = {},
  ) => {
    const path = join(dir.path, `${name}.yaml`);
    await writeFile(
      path,
      [
        `gateway: { url: "${o.url ?? gateway.url}", api_key: "${o.key ?? gateway.key}", timeout: 5s }`,
        `state_dir: ${JSON.stringify(o.stateDir ?? join(dir.path, 'state'))}`,
        'inputs:',
        `  - { type: file, paths: ${JSON.stringify(o.paths ?? [join(logs, '*.log*')])}, exclude: ["*.gz"], service: checkout }`,
        '  - { type: stdin, service: batch-job }',
        ...(o.inputs ?? []),
        '',
      ].join('\n'),
    );
    // Asynchronously: the gateway answering the check runs in this process.
    const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [AGENT_MAIN, '--check-config', '-c', path], (error, stdout, stderr) =>
        resolve({
          status: error === null ? 0 : typeof error.code === 'number' ? error.code : null,
          stdout,
          stderr,
        }),
      ),
    );
    const lines = run.stdout.trimEnd().split('\n');
    const line = (component: string) => lines.find((l) => l.includes(` ${component}`)) ?? '(missing)';
    return { status: run.status, lines, line, output: `${run.stdout}${run.stderr}` };
  };

  it('passes with the gateway up, its key, a writable state_dir and matching files; ingests nothing', async () => {
    const r = await check('good');
    assert.equal(r.status, 0, r.output);
    assert.match(
      r.line('gateway'),
      /^ {2}ok {4}gateway http:\/\/127\.0\.0\.1:\d+: reachable, and it accepts batches/,
    );
    assert.match(
      r.line('state_dir'),
      /^ {2}ok {4}state_dir .*: does not exist yet; the agent will create it in /,
    );
    assert.match(r.line('input 0'), /^ {2}ok {4}input 0 \(checkout\) .*: 3 files match now$/);
    assert.match(r.line('input 1'), /^ {2}ok {4}input 1 \(batch-job\): reads standard input$/);
    assert.match(r.lines.at(-1) ?? '', /good\.yaml: OK$/);
    assert.equal(gateway.events().length, 0);
  });

  it('fails when nothing listens at gateway.url', async () => {
    const r = await check('down', { url: `http://127.0.0.1:${await freePort()}` });
    assert.equal(r.status, 1, r.output);
    assert.match(r.line('gateway'), /^ {2}FAIL {2}gateway .*: unreachable \(.*ECONNREFUSED/);
    assert.match(r.lines.at(-1) ?? '', /down\.yaml: 1 check failed$/);
  });

  it('fails on a key the gateway does not know, and on a key without the ingest role', async () => {
    const wrong = await check('wrong-key', { key: 'k-nobody' });
    assert.equal(wrong.status, 1, wrong.output);
    assert.match(
      wrong.line('gateway'),
      /FAIL {2}gateway .*: the gateway refuses gateway\.api_key \(HTTP 401/,
    );
    const reader = await check('read-key', { key: TEST_KEYS.read });
    assert.equal(reader.status, 1, reader.output);
    assert.match(reader.line('gateway'), /FAIL {2}gateway .*: the key may not ingest \(HTTP 403/);
  });

  it('fails on a state_dir that cannot be written or created', async () => {
    const file = join(dir.path, 'a-file');
    await writeFile(file, '');
    const notDir = await check('state-file', { stateDir: file });
    assert.equal(notDir.status, 1, notDir.output);
    assert.match(notDir.line('state_dir'), /FAIL {2}state_dir .*a-file: exists and is not a directory/);
    const under = await check('state-under-file', { stateDir: join(file, 'state') });
    assert.equal(under.status, 1, under.output);
    assert.match(
      under.line('state_dir'),
      /FAIL {2}state_dir .*: cannot be created: .*a-file is not a directory/,
    );
    const existing = join(dir.path, 'existing-state');
    await mkdir(existing);
    const ok = await check('state-existing', { stateDir: existing });
    assert.match(ok.line('state_dir'), /ok {4}state_dir .*: writable$/);
  });

  it('warns (and passes) when the paths match no file yet', async () => {
    const r = await check('no-files', { paths: [join(logs, 'nothing-*.log')] });
    assert.equal(r.status, 0, r.output);
    assert.match(
      r.line('input 0'),
      /^ {2}warn {2}input 0 .*: 0 files match now; files that appear later are picked up$/,
    );
  });

  it('checks syslog and journald inputs: a listen address in use, a journalctl that is missing', async () => {
    const busy = net.createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve));
    try {
      const free = await freePort();
      const r = await check('new-inputs', {
        inputs: [
          `  - { type: syslog, service: s1, listen: "127.0.0.1:${port}" }`,
          `  - { type: syslog, service: s2, listen: "127.0.0.1:${free}" }`,
          '  - { type: journald, service: j1, journalctl: /nonexistent/journalctl }',
        ],
      });
      assert.equal(r.status, 1, r.output);
      assert.match(r.line('input 2'), /FAIL {2}input 2 \(s1\) syslog .*: cannot listen: .*EADDRINUSE/);
      assert.match(r.line('input 3'), /ok {4}input 3 \(s2\) syslog .*: can listen on udp\+tcp$/);
      assert.match(r.line('input 4'), /FAIL {2}input 4 \(j1\) journald: \/nonexistent\/journalctl not found/);
    } finally {
      busy.close();
    }
  });
});
