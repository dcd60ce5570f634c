import type { Buffer } from 'node:buffer';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';
import { uuidv7 } from '../../../core/ids/uuidv7.ts';
import type { Logger } from '../../../core/log/logger.ts';
import { type LineRecord, lineRecord, type OnLines } from '../lineRecord.ts';
import { type Frame, TcpFramer, trimTrailer } from './tcpFraming.ts';

export interface SyslogReceiverOptions {
  host: string;
  /** 0 picks a free port (TCP first; UDP then binds the same number). */
  port: number;
  protocols: ReadonlyArray<'udp' | 'tcp'>;
  maxConnections: number;
  idleTimeoutMs: number;
  /** Longer messages are cut to this many bytes and flagged truncated. */
  maxMessageBytes: number;
  onLines: OnLines;
  log: Logger;
}

export interface SyslogStats {
  messages: number;
  /** UDP datagrams dropped because the pipeline was behind (UDP cannot be slowed down). */
  dropped: number;
  /** TCP connections closed for a malformed frame, or refused over max_connections. */
  refusedConnections: number;
}

export interface SyslogReceiver {
  /** The ports actually bound, by protocol. */
  readonly ports: { udp?: number; tcp?: number };
  /** Settles when the receiver fails for good (the pipeline refused lines); never otherwise. */
  readonly failed: Promise<void>;
  stats(): SyslogStats;
  /** Stops receiving, then hands what was received to onLines before resolving. */
  close(): Promise<void>;
}

/** Lines handed over at once. */
const BATCH = 1000;
/** Messages waiting for the pipeline past which TCP senders are paused and UDP datagrams dropped. */
const HIGH_WATER = 20_000;

/**
 * A syslog receiver: UDP (one message per datagram) and TCP (RFC 6587 framing, tcpFraming.ts) on one
 * port. Messages become line records of one stream: the file id is `syslog-<uuidv7>`, new every run,
 * and offsets count the bytes received, so every message of a run has its own event id. There are no
 * checkpoints: a sender does not resend what we lost, so at-least-once holds while the process lives
 * (the disk spool covers the gateway being away). Backpressure: TCP senders are paused (their kernel
 * buffers fill and they block or queue); UDP has no way to slow a sender, so past HIGH_WATER datagrams
 * are dropped and counted.
 */
export async function startSyslogReceiver(options: SyslogReceiverOptions): Promise<SyslogReceiver> {
  const { log } = options;
  const fileId = `syslog-${uuidv7()}`;
  const stats: SyslogStats = { messages: 0, dropped: 0, refusedConnections: 0 };
  let position = 0;
  let queue: LineRecord[] = [];
  let pumping: Promise<void> | undefined;
  const paused = new Set<Socket>();
  let fail: (error: unknown) => void = () => undefined;
  const failed = new Promise<void>((_, reject) => {
    fail = reject;
  });
  failed.catch(() => undefined); // observed by the runner
  let lastDropWarning = 0;

  const take = (frame: Frame): void => {
    const offset = position;
    position += frame.wireBytes;
    stats.messages++;
    queue.push(lineRecord('syslog', fileId, offset, position, frame.text, frame.truncated, false));
  };
  const pump = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.length <= BATCH ? queue : queue.slice(0, BATCH);
      queue = queue.length <= BATCH ? [] : queue.slice(BATCH);
      await options.onLines(batch);
      if (queue.length < HIGH_WATER / 2) {
        for (const socket of paused) socket.resume();
        paused.clear();
      }
    }
  };
  const kick = (): void => {
    pumping ??= pump()
      .catch((error: unknown) => fail(error))
      .finally(() => {
        pumping = undefined;
        if (queue.length > 0) kick();
      });
  };

  const ports: { udp?: number; tcp?: number } = {};
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const serveConnection = (socket: Socket): void => {
    const framer = new TcpFramer(options.maxMessageBytes);
    const frames: Frame[] = [];
    socket.setTimeout(options.idleTimeoutMs, () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      const error = framer.feed(chunk, frames);
      for (const frame of frames) take(frame);
      frames.length = 0;
      kick();
      if (error !== undefined) {
        stats.refusedConnections++;
        log.warn('syslog: malformed TCP stream; closing the connection', {
          peer: socket.remoteAddress,
          error,
        });
        socket.destroy();
        return;
      }
      if (queue.length >= HIGH_WATER) {
        socket.pause();
        paused.add(socket);
      }
    });
    // Resets and timeouts are the sender's business; what arrived before them is kept.
    socket.on('error', (error) => log.debug('syslog: TCP connection error', { error: String(error) }));
    socket.on('close', () => {
      sockets.delete(socket);
      paused.delete(socket);
    });
  };

  if (options.protocols.includes('tcp')) {
    server = createServer((socket) => {
      if (sockets.size >= options.maxConnections) {
        stats.refusedConnections++;
        log.warn('syslog: too many TCP connections; refusing one', {
          peer: socket.remoteAddress,
          max_connections: options.maxConnections,
        });
        socket.destroy();
        return;
      }
      sockets.add(socket);
      serveConnection(socket);
    });
    ports.tcp = await listenTcp(server, options.host, options.port);
  }
  let udp: UdpSocket | undefined;
  if (options.protocols.includes('udp')) {
    udp = createSocket({ type: options.host.includes(':') ? 'udp6' : 'udp4' });
    udp.on('message', (datagram: Buffer) => {
      if (queue.length >= HIGH_WATER) {
        stats.dropped++;
        const now = Date.now();
        if (now - lastDropWarning > 10_000) {
          lastDropWarning = now;
          log.warn('syslog: dropping UDP messages, the pipeline is behind', { dropped: stats.dropped });
        }
        return;
      }
      const body = trimTrailer(datagram);
      if (body.length === 0) return;
      const truncated = body.length > options.maxMessageBytes ? { originalBytes: body.length } : undefined;
      const text = (truncated ? body.subarray(0, options.maxMessageBytes) : body).toString('utf8');
      take({ text, wireBytes: datagram.length, truncated });
      kick();
    });
    udp.on('error', (error) => log.warn('syslog: UDP socket error', { error: String(error) }));
    ports.udp = await bindUdp(udp, options.host, ports.tcp ?? options.port);
  }

  return {
    ports,
    failed,
    stats: () => ({ ...stats }),
    async close() {
      await new Promise<void>((resolve) => (udp === undefined ? resolve() : udp.close(() => resolve())));
      const closed =
        server === undefined ? Promise.resolve() : new Promise<void>((r) => server.close(() => r()));
      for (const socket of sockets) socket.destroy();
      await closed;
      while (pumping !== undefined) await pumping;
    },
  };
}

function listenTcp(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

function bindUdp(socket: UdpSocket, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: host, port }, () => {
      socket.off('error', reject);
      resolve(socket.address().port);
    });
  });
}
