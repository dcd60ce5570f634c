import { availableParallelism } from 'node:os';
import type { Logger } from '../../core/log/logger.ts';
import { createMasker, type MaskStats } from '../../core/mask/index.ts';
import type { AgentConfig } from '../config/schema.ts';
import { type EdgeSink, type EdgeStage, localEdgeStage } from './edgeStage.ts';
import type { Env } from './kubernetes.ts';
import { startEdgeWorkers } from './worker/edgeWorkers.ts';

/** Where the agent's edge pipelines run: in this thread, or in worker threads. */
export interface EdgeHost {
  /** Edge worker threads running (0: every pipeline runs in the main thread). */
  readonly threads: number;
  /** The edge of `config.inputs[index]`, delivering to `sink`. Once per input. */
  stage(index: number, sink: EdgeSink): EdgeStage;
  /** Values masked so far by every pipeline, by detector or rule. */
  maskStats(): MaskStats;
  /** Stops the workers; call after every stage was drained. */
  close(): Promise<void>;
}

export interface EdgeHostOptions {
  /** Worker threads; default edgeThreadsFor(config). 0 runs the pipelines in this thread. */
  threads?: number;
  env?: Env;
  hostname?: string;
  log: Logger;
  /** Resolves when shutdown begins (inputs waiting for room stop waiting). */
  stopping: Promise<void>;
}

/**
 * How many worker threads the edge gets (`edge.threads`). `auto`: one per two cores, at most 4, so
 * the agent leaves the machine's applications most of it; none on a single core, where a thread only
 * adds the cost of handing lines over; none without inputs. Measured on 2 shared cores
 * (docs/benchmarks.md): a second worker added CPU per line and no throughput.
 */
export function edgeThreadsFor(config: AgentConfig, cores = availableParallelism()): number {
  if (config.inputs.length === 0) return 0;
  if (config.edge.threads !== 'auto') return config.edge.threads;
  return cores < 2 ? 0 : Math.min(4, Math.floor(cores / 2));
}

export async function startEdgeHost(config: AgentConfig, options: EdgeHostOptions): Promise<EdgeHost> {
  const threads = options.threads ?? edgeThreadsFor(config);
  if (threads > 0) return startEdgeWorkers(config, { ...options, threads });
  const masker = createMasker(config.mask);
  const enrichment = { env: options.env, hostname: options.hostname };
  return {
    threads: 0,
    stage: (index, sink) => localEdgeStage(config.inputs[index], config, masker, sink, enrichment),
    maskStats: () => masker.stats(),
    close: async () => undefined,
  };
}
