import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { silentLogger } from '../../../core/log/logger.ts';
import { waitFor } from '../../../test/helpers/waitFor.ts';
import type { LineRecord } from '../lineRecord.ts';
import { startSyslogReceiver } from './syslogReceiver.ts';

async function receiver(maxConnections = 8) {
  const lines: LineRecord[] = [];
  const r = await startSyslogReceiver({
    host: '127.0.0.1',
    port: 0,
    protocols: ['udp', 'tcp'],
    maxConnections,
    idleTimeoutMs: 60_000,
    maxMessageBytes: 256,
    onLines: async (batch) => {
      lines.push(...batch);
    },
    log: silentLogger,
  });
  return { r, lines };
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket));
    socket.on('error', reject);
  });
}

describe('syslog receiver', () => {
  it('takes UDP datagrams and TCP frames on one port, one stream of offsets, oversized messages cut', async () => {
    const { r, lines } = await receiver();
    try {
      const udp = createSocket('udp4');
      await new Promise<void>((resolve) =>
        udp.send(`<13>${'u'.repeat(1000)}\n`, r.ports.udp as number, '127.0.0.1', () => resolve()),
      );
      udp.close();
      await waitFor('the datagram', () => lines.length === 1);
      const tcp = await open(r.ports.tcp as number);
      tcp.end('<13>one\n8 <13>two!');
      await waitFor('the TCP frames', () => lines.length === 3);
      assert.deepEqual(lines[0].truncated, { originalBytes: 1004 });
      assert.equal(lines[0].text.length, 256);
      assert.deepEqual(
        lines.slice(1).map((l) => l.text),
        ['<13>one', '<13>two!'],
      );
      for (let i = 1; i < lines.length; i++)
        assert.equal(lines[i].offset, lines[i - 1].next, 'contiguous offsets');
      assert.equal(new Set(lines.map((l) => l.fileId)).size, 1);
    } finally {
      await r.close();
    }
  });

  it('refuses connections past max_connections and keeps serving the others', async () => {
    const { r, lines } = await receiver(1);
    try {
      const first = await open(r.ports.tcp as number);
      await waitFor('the first connection to be held', () => r.stats().refusedConnections === 0);
      const second = await open(r.ports.tcp as number);
      const closed = new Promise<void>((resolve) => second.on('close', () => resolve()));
      await closed;
      assert.equal(r.stats().refusedConnections, 1);
      first.end('<13>still served\n');
      await waitFor('the first connection served', () => lines.some((l) => l.text === '<13>still served'));
    } finally {
      await r.close();
    }
  });
});
