import { Worker } from 'node:worker_threads';
import type { Logger } from '../../../core/log/logger.ts';
import { createMasker, type MaskStats } from '../../../core/mask/index.ts';
import type { AgentConfig } from '../../config/schema.ts';
import type { Env } from '../kubernetes.ts';
import type { PipelineHost } from '../pipelineStage.ts';
import type { FromWorker, PipelineWorkerData } from './messages.ts';
import { RemoteStage } from './remoteStage.ts';
import { pipelineWorkerScript } from './workerScript.ts';

export interface PipelineWorkersOptions {
  threads: number;
  env?: Env;
  hostname?: string;
  log: Logger;
  stopping: Promise<void>;
}

/**
 * A worker's young generation, in MB. Events live for one batch, so the young generation does the
 * collecting; measured over 500,000 lines, 16 left the worker's heap smallest (40 MB committed, against
 * 58 with 4, where batches got promoted, and 53 with 32) at the same CPU within the noise.
 */
const WORKER_YOUNG_GENERATION_MB = 16;

interface Thread {
  worker: Worker;
  /** Stages of the inputs this worker runs, by input index, with this worker's place in each. */
  stages: Map<number, { stage: RemoteStage; place: number }>;
  masked: MaskStats['masked'];
  closing: boolean;
}

/**
 * Starts `threads` pipeline workers, each able to run every input's pipeline. Lines of an input without
 * multi-line assembly go to every worker in turn (see RemoteStage); an input with it stays on one
 * worker (input i on worker i mod threads). Resolves once every worker has built its pipelines;
 * rejects with the reason when one cannot.
 */
export async function startPipelineWorkers(
  config: AgentConfig,
  options: PipelineWorkersOptions,
): Promise<PipelineHost> {
  const script = pipelineWorkerScript();
  const zeros = createMasker(config.mask).stats().masked;
  const workerData: PipelineWorkerData = { config, env: options.env, hostname: options.hostname };
  const threads: Thread[] = [];
  for (let t = 0; t < options.threads; t++) {
    const worker =
      script.kind === 'file'
        ? new Worker(script.url, { workerData, resourceLimits: limits() })
        : new Worker(script.code, { eval: true, workerData, resourceLimits: limits() });
    threads.push({ worker, stages: new Map(), masked: {}, closing: false });
  }
  try {
    await Promise.all(threads.map((thread) => started(thread)));
  } catch (error) {
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
    throw error;
  }
  for (const thread of threads) watch(thread, options.log);

  return {
    threads: threads.length,
    stage(index, sink) {
      const mine = config.inputs[index].multiline === undefined ? threads : [threads[index % threads.length]];
      const stage = new RemoteStage(
        mine.map((thread) => thread.worker),
        index,
        sink,
        options.stopping,
        options.log,
      );
      mine.forEach((thread, place) => {
        thread.stages.set(index, { stage, place });
      });
      return stage;
    },
    maskStats() {
      // Every detector from the start, at 0 until a worker reports: absent series make alerts misread.
      const masked: MaskStats['masked'] = { ...zeros };
      for (const thread of threads) {
        for (const [name, count] of Object.entries(thread.masked)) masked[name] = (masked[name] ?? 0) + count;
      }
      return { masked };
    },
    async close() {
      for (const thread of threads) thread.closing = true;
      await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}

function limits() {
  return { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB };
}

/** Resolves when the worker has built its pipelines; rejects with why it could not. */
function started(thread: Thread): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: FromWorker) => {
      if (message.kind === 'ready') settle(undefined);
      else if (message.kind === 'failed')
        settle(new Error(`pipeline worker could not start: ${message.message}`));
    };
    const onError = (error: Error) => settle(error);
    const onExit = (code: number) => settle(new Error(`pipeline worker exited with ${code} while starting`));
    const settle = (error: Error | undefined) => {
      thread.worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (error === undefined) resolve();
      else reject(error);
    };
    thread.worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

/** Routes answers to their stages; a worker that fails or dies fails its inputs (the agent then stops). */
function watch(thread: Thread, log: Logger): void {
  const failAll = (error: Error) => {
    for (const { stage } of thread.stages.values()) stage.fail(error);
  };
  thread.worker.on('message', (message: FromWorker) => {
    if (message.kind === 'records') {
      thread.masked = message.masked;
      const hosted = thread.stages.get(message.input);
      hosted?.stage.answered(hosted.place, message);
    } else if (message.kind === 'failed') {
      log.error('the pipeline failed', { input: message.input, error: message.message });
      const error = new Error(`pipeline of input ${message.input} failed: ${message.message}`);
      if (message.input < 0) failAll(error);
      else thread.stages.get(message.input)?.stage.fail(error);
    }
  });
  thread.worker.on('error', (error) => {
    log.error('an pipeline worker failed', { error: String(error) });
    failAll(error);
  });
  thread.worker.on('exit', (code) => {
    if (!thread.closing) failAll(new Error(`pipeline worker exited with ${code}`));
  });
}
