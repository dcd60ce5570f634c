import { createServer } from 'node:net';
import { splitHostPort } from '../../../core/config/fields/address.ts';
import { inputKind } from '../inputKind.ts';
import { syslogInputSchema } from './config.ts';
import { startSyslogReceiver } from './syslogReceiver.ts';

/** `type: syslog`: a UDP and TCP syslog receiver (RFC 5424, RFC 3164); docs/agent-inputs.md. */
export const syslogInputKind = inputKind({
  type: 'syslog',
  schema: syslogInputSchema,
  async start(input, ctx) {
    const { host, port } = address(input.listen);
    const receiver = await startSyslogReceiver({
      host,
      port,
      protocols: input.protocols,
      maxConnections: input.max_connections,
      idleTimeoutMs: input.idle_timeout,
      maxMessageBytes: input.max_line_bytes,
      onLines: ctx.onLines,
      log: ctx.log,
    });
    ctx.log.info('receiving syslog', { listen: input.listen, ...receiver.ports });
    return {
      ended: receiver.failed,
      stop: () => receiver.close(),
      ack: () => undefined,
      closeCheckpoints: async () => undefined,
    };
  },
  async check(input, index) {
    const component = `input ${index} (${input.service}) syslog ${input.listen}`;
    // Only TCP is tried (binding UDP too would say the same of the address); nothing is kept open.
    const { host, port } = address(input.listen);
    const problem = await new Promise<string | undefined>((resolve) => {
      const server = createServer();
      server.once('error', (error) => resolve((error as Error).message));
      server.listen({ host, port }, () => server.close(() => resolve(undefined)));
    });
    return problem === undefined
      ? { component, status: 'ok', detail: `can listen on ${input.protocols.join('+')}` }
      : { component, status: 'fail', detail: `cannot listen: ${problem}` };
  },
  describe: (input) => `syslog ${input.protocols.join('+')} ${input.listen}`,
});

function address(listen: string): { host: string; port: number } {
  const parsed = splitHostPort(listen);
  if (parsed === undefined) throw new Error(`listen: not host:port: ${listen}`); // the schema checked it
  return parsed;
}
