import { inputKind } from '../inputKind.ts';
import { stdinInputSchema } from './config.ts';
import { startStdinInput } from './stdinInput.ts';

/** `type: stdin`: lines piped to the agent; no checkpoints (a pipe cannot be read again). */
export const stdinInputKind = inputKind({
  type: 'stdin',
  schema: stdinInputSchema,
  async start(input, ctx) {
    const stdin = startStdinInput({
      stream: process.stdin,
      onLines: ctx.onLines,
      maxLineBytes: input.max_line_bytes,
      partialLineTimeoutMs: input.partial_line_timeout,
    });
    return {
      ended: stdin.done,
      async stop() {
        // A pipe cannot be re-read, so what is still in it at shutdown is not ours: stop reading.
        process.stdin.destroy();
        await stdin.done.catch(() => undefined); // ended by destroy(): nothing left to report
      },
      ack: () => undefined,
      closeCheckpoints: async () => undefined,
    };
  },
  check: async (input, index) => ({
    component: `input ${index} (${input.service})`,
    status: 'ok',
    detail: 'reads standard input',
  }),
  describe: (input) => `stdin (${input.format})`,
});
