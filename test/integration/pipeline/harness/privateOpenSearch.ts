/**
 * A private OpenSearch for a test that takes it down: deploy/local/up and down with their own ports and
 * state directory. down only signals JVMs carrying this state directory's marker, so the shared engine
 * other tests use is never touched.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../../helpers/freePort.ts';

const run = promisify(execFile);
const LOCAL = join(import.meta.dirname, '../../../../deploy/local');

export interface PrivateOpenSearch {
  url: string;
  /** `deploy/local/down opensearch` for this node only: the process is gone afterwards. */
  stop(): Promise<void>;
  /** `deploy/local/up opensearch` (again: same ports and data); resolves once it is healthy. */
  start(): Promise<void>;
  /** Stops the node if it runs and deletes its state directory. */
  destroy(): Promise<void>;
}

/** Picks free ports and a state directory; nothing runs until `start()`. */
export async function privateOpenSearch(): Promise<PrivateOpenSearch> {
  const state = await mkdtemp(join(tmpdir(), 'sluice-private-opensearch-'));
  const port = await freePort();
  const env = {
    ...process.env,
    OPENSEARCH_PORT: String(port),
    OPENSEARCH_TRANSPORT_PORT: String(await freePort()),
    // Half the shared node's heap: this one holds one test's few thousand documents.
    OPENSEARCH_HEAP_MIN: '512m',
    OPENSEARCH_HEAP_MAX: '512m',
    SLUICE_STATE: state,
  };
  const script = async (name: 'up' | 'down') => {
    try {
      await run(join(LOCAL, name), ['opensearch'], { env, timeout: 300_000 });
    } catch (error) {
      const e = error as { stdout?: string; stderr?: string; message: string };
      throw new Error(
        `deploy/local/${name} opensearch (private node on ${port}, state ${state}) failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`,
      );
    }
  };
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => script('down'),
    start: () => script('up'),
    async destroy() {
      try {
        await script('down');
      } finally {
        await rm(state, { recursive: true, force: true });
      }
    },
  };
}
