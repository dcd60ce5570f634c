import { readFileSync } from 'node:fs';
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import {
  Server,
  ServerCredentials,
  ServerInterceptingCall,
  type ServerInterceptor,
  status,
} from '@grpc/grpc-js';
import { ListenError, parseAddress } from '../../../core/http/listen.ts';
import { isLoopbackHost } from '../../../core/net/loopback.ts';
import type { ListenerContext, RunningListener } from '../listenerProtocol.ts';
import { exportHandler } from './exportCall.ts';
import { LOGS_SERVICE } from './service.ts';

/** A connection older than this is asked to reconnect (GOAWAY): calls can then last no longer than this plus `request_timeout`. */
const MAX_CONNECTION_AGE_MS = 10 * 60_000;

/**
 * The OTLP/gRPC listener: grpc-js serves HTTP/2 on connections this module accepts itself, so the
 * listener keeps `limits.server`'s bounds as the HTTP one does: at most `max_connections` at once, a call
 * must have sent its message within `request_timeout`, an idle connection is closed after it. Messages
 * (after gzip) are held to `limits.max_body` by grpc-js before anything is decoded. TLS with the `tls`
 * certificate when set. Without API keys only loopback addresses are allowed, as for HTTP.
 */
export async function startOtlpGrpcListener(
  address: string,
  context: ListenerContext,
): Promise<RunningListener> {
  const { host, port } = parseAddress(address);
  if (context.keys.open && !isLoopbackHost(host)) {
    throw new ListenError(
      `refusing to listen on ${host} (listen.otlp_grpc): no API keys are configured (auth.keys), so only loopback addresses are allowed`,
    );
  }
  const limits = context.server;
  const grpc = new Server({
    'grpc.max_receive_message_length': Math.min(context.body.maxBodyBytes, context.body.maxDecodedBytes),
    'grpc.max_connection_idle_ms': limits.requestTimeoutMs,
    'grpc.max_connection_age_ms': MAX_CONNECTION_AGE_MS,
    'grpc.max_connection_age_grace_ms': limits.requestTimeoutMs,
    'grpc.max_concurrent_streams': limits.perKeyConcurrency,
    interceptors: [messageWithin(limits.requestTimeoutMs)],
  });
  grpc.addService(LOGS_SERVICE, { Export: exportHandler(context) });
  const injector = grpc.createConnectionInjector(credentials(context.tls));

  const sockets = new Set<Socket>();
  const server: NetServer = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    injector.injectConnection(socket);
  });
  server.maxConnections = limits.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => context.log.error('OTLP/gRPC listener failed', { error: error.message }));
  const bound = server.address();
  const actualPort = typeof bound === 'object' && bound !== null ? bound.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `${context.tls === undefined ? 'http' : 'https'}://${shownHost}:${actualPort}`,
    listening: () => server.listening,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // GOAWAY to every connection: calls in progress finish, within request_timeout, then they are cut.
      injector.drain(limits.requestTimeoutMs);
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, limits.requestTimeoutMs))]);
      for (const socket of sockets) socket.destroy();
      injector.destroy();
      grpc.forceShutdown();
    },
  };
}

function credentials(tls: ListenerContext['tls']): ServerCredentials {
  if (tls === undefined) return ServerCredentials.createInsecure();
  return ServerCredentials.createSsl(
    null,
    [{ cert_chain: readFileSync(tls.certFile), private_key: readFileSync(tls.keyFile) }],
    false,
  );
}

/**
 * A call that has not sent its message `ms` after it began is ended with DEADLINE_EXCEEDED, so a client
 * trickling a message byte by byte holds its stream no longer than an HTTP client its request.
 */
function messageWithin(ms: number): ServerInterceptor {
  return (_method, call) => {
    let timer: NodeJS.Timeout | undefined;
    const intercepted: ServerInterceptingCall = new ServerInterceptingCall(call, {
      start: (next) => {
        timer = setTimeout(
          () =>
            intercepted.sendStatus({
              code: status.DEADLINE_EXCEEDED,
              details: `request_timeout: the message did not arrive within ${ms} ms`,
            }),
          ms,
        );
        next({
          onReceiveMessage: (message, nextMessage) => {
            clearTimeout(timer);
            nextMessage(message);
          },
          onCancel: () => clearTimeout(timer),
        });
      },
      sendStatus: (sent, nextStatus) => {
        clearTimeout(timer);
        nextStatus(sent);
      },
    });
    return intercepted;
  };
}
