/**
 * One of examples/toy-services as a child process, started the way its README says
 * (`node examples/toy-services/<name>.ts` with PORT, LOG_FILE, GATEWAY_URL), ready once it prints its
 * "listening" line.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const EXAMPLE = join(import.meta.dirname, '../../../../examples/toy-services');

export interface ToyService {
  url: string;
  stop(): Promise<void>;
}

export async function startToyService(
  name: 'orders' | 'payments',
  env: Record<string, string>,
): Promise<ToyService> {
  const child = spawn(process.execPath, [join(EXAMPLE, `${name}.ts`)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within 15 s:\n${output}`)),
      15_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n').find((l) => l.includes('"listening"'));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}) during start-up:\n${output}`));
    });
  });
  return {
    url,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}
