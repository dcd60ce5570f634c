/**
 * A second, private Kafka broker for tests that stop and start it: deploy/local/up and down with their own
 * ports and state directory. down only signals JVMs carrying this state directory's marker, so the shared
 * broker that other tests use is never touched.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../../helpers/freePort.ts';

const run = promisify(execFile);
const LOCAL = join(import.meta.dirname, '../../../../deploy/local');

export interface PrivateKafka {
  brokers: string[];
  /** `deploy/local/down kafka` for this broker only: a clean stop, the process is gone afterwards. */
  stop(): Promise<void>;
  /** `deploy/local/up kafka` again on the same ports and data. */
  start(): Promise<void>;
  /** SIGSTOP: the process stays, connections stay open, nothing answers (a hung broker or a partition). */
  pause(): Promise<void>;
  /** SIGCONT after pause(). */
  resume(): Promise<void>;
  /** Stops the broker if it runs and deletes its state directory. */
  destroy(): Promise<void>;
}

export async function startPrivateKafka(): Promise<PrivateKafka> {
  const state = await mkdtemp(join(tmpdir(), 'sluice-private-kafka-'));
  const port = await freePort();
  const controllerPort = await freePort();
  const env = {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    SLUICE_STATE: state,
  };
  const script = async (name: 'up' | 'down') => {
    try {
      await run(join(LOCAL, name), ['kafka'], { env, timeout: 180_000 });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(
        `deploy/local/${name} kafka (private broker on ${port}, state ${state}) failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      );
    }
  };
  // up writes the JVM's pid here (deploy/local/lib/common.sh, start_detached).
  const pid = async () => Number((await readFile(join(state, 'kafka', 'kafka.pid'), 'utf8')).trim());
  let paused: number | null = null;
  const broker: PrivateKafka = {
    brokers: [`127.0.0.1:${port}`],
    stop: () => script('down'),
    start: () => script('up'),
    async pause() {
      paused = await pid();
      process.kill(paused, 'SIGSTOP');
    },
    async resume() {
      if (paused !== null) process.kill(paused, 'SIGCONT');
      paused = null;
    },
    async destroy() {
      try {
        await broker.resume(); // a stopped JVM cannot act on down's SIGTERM
        await script('down');
      } finally {
        await rm(state, { recursive: true, force: true });
      }
    },
  };
  try {
    await broker.start();
  } catch (error) {
    await broker.destroy().catch(() => undefined); // the start error is the one worth reporting
    throw error;
  }
  return broker;
}
