import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { writeAgentYaml } from '../../helpers/agentYaml.ts';
import { freePort } from '../../helpers/freePort.ts';
import { waitFor } from '../../helpers/waitFor.ts';
import { AGENT_MAIN, type AgentProcess, spawnAgent, startGateway, tempDir } from '../agent/agentHarness.ts';

const run = promisify(execFile);
type Gateway = Awaited<ReturnType<typeof startGateway>>;

/** Sends raw bytes over one TCP connection and waits for the receiver to close it or for `ms`. */
function sendRaw(port: number, bytes: string, ms = 1000): Promise<'closed' | 'open'> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(bytes));
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('open');
    }, ms);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
    socket.on('error', () => undefined); // a reset is a close here
  });
}

describe('syslog input (a real agent, logger and rsyslogd)', () => {
  let gateway: Gateway;
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let agent: AgentProcess;
  let port: number;
  let rsyslog: ChildProcess | undefined;
  const byMessage = (text: string) => gateway.events().find((e) => String(e.message).includes(text));
  const attrsOf = (text: string) => (byMessage(text)?.attrs ?? {}) as Record<string, unknown>;

  before(async () => {
    gateway = await startGateway();
    dir = await tempDir('sluice-syslog-');
    port = await freePort();
    const config = await writeAgentYaml({
      dir: dir.path,
      gateway,
      inputs: `  - type: syslog
    service: syslog
    listen: "127.0.0.1:${port}"
    max_line_bytes: 1KiB`,
    });
    agent = spawnAgent(process.execPath, [AGENT_MAIN, '--config', config]);
    await agent.waitForLog((l) => l.message === 'agent started');
  });
  after(async () => {
    rsyslog?.kill('SIGTERM');
    agent.child.kill('SIGTERM');
    await agent.exited;
    await gateway.close();
    await dir.remove();
  });

  it('takes RFC 3164 and RFC 5424 from logger over UDP and TCP (both framings), masked', async () => {
    const logger = (...args: string[]) => run('logger', ['-n', '127.0.0.1', '-P', String(port), ...args]);
    await logger(
      '-d',
      '--rfc3164',
      '-t',
      'billing',
      '-p',
      'user.err',
      'udp 3164 card declined password=hunter2',
    );
    await logger('-d', '--rfc5424', '-t', 'api', '-p', 'local0.info', 'udp 5424 hello');
    await logger('-T', '--octet-count', '--rfc5424', '-t', 'worker', '-p', 'daemon.warning', 'tcp counted');
    await logger('-T', '--rfc3164', '-t', 'cron', 'tcp newline');
    await waitFor('4 messages at the gateway', () => gateway.events().length >= 4, {
      context: () => JSON.stringify(agent.logs().slice(-5)),
    });
    const udp3164 = byMessage('udp 3164');
    assert.equal(udp3164?.service, 'billing');
    assert.equal(udp3164?.level, 'error');
    assert.ok(!JSON.stringify(gateway.events()).includes('hunter2'), 'the secret was masked at the edge');
    const udp5424 = byMessage('udp 5424 hello');
    assert.equal(udp5424?.service, 'api');
    assert.equal(udp5424?.level, 'info');
    assert.equal(attrsOf('udp 5424 hello')['syslog.facility'], 'local0');
    assert.equal(byMessage('tcp counted')?.level, 'warn');
    assert.equal(byMessage('tcp newline')?.service, 'cron');
    assert.equal(
      new Set(gateway.events().map((e) => e.id)).size,
      gateway.events().length,
      'ids are distinct',
    );
  });

  it('closes a connection with a malformed octet count, cuts oversized frames, and keeps serving', async () => {
    assert.equal(await sendRaw(port, '12x <13>bad frame\n'), 'closed');
    const big = `<13>oversized ${'z'.repeat(5000)}`;
    assert.equal(await sendRaw(port, `${big.length} ${big}`, 300), 'open');
    await sendRaw(port, '<13>after the hostile ones\n', 300);
    await waitFor('the messages after them', () => byMessage('after the hostile ones') !== undefined);
    assert.equal(attrsOf('oversized')['sluice.truncated'], true);
    assert.equal(attrsOf('oversized')['sluice.original_bytes'], big.length);
    assert.equal(byMessage('bad frame'), undefined, 'nothing of the malformed stream was taken');
    assert.ok(agent.logs().some((l) => l.message === 'syslog: malformed TCP stream; closing the connection'));
  });

  it('receives what rsyslogd forwards to it (TCP, octet-counted, RFC 5424)', async () => {
    const rsyslogPort = await freePort();
    const work = join(dir.path, 'rsyslog');
    await run('mkdir', ['-p', work]);
    const conf = join(work, 'rsyslog.conf');
    await writeFile(
      conf,
      `global(workDirectory="${work}")
module(load="imudp")
input(type="imudp" address="127.0.0.1" port="${rsyslogPort}")
*.* action(type="omfwd" target="127.0.0.1" port="${port}" protocol="tcp" TCP_Framing="octet-counted"
           template="RSYSLOG_SyslogProtocol23Format")
`,
    );
    // Our own rsyslogd: its own config, pid file and ports; -n stays in the foreground, so we own it.
    rsyslog = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(work, 'rsyslogd.pid')], { stdio: 'ignore' });
    await waitFor(
      'rsyslogd to forward a message',
      async () => {
        await run('logger', [
          '-d',
          '-n',
          '127.0.0.1',
          '-P',
          String(rsyslogPort),
          '-t',
          'relayed',
          'via rsyslog',
        ]);
        return byMessage('via rsyslog') !== undefined;
      },
      { intervalMs: 500 },
    );
    assert.equal(byMessage('via rsyslog')?.service, 'relayed');
  });
});
