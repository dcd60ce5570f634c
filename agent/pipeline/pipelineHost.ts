import { availableParallelism } from 'node:os';
import type { Logger } from '../../core/log/logger.ts';
import { createMasker } from '../../core/mask/index.ts';
import type { AgentConfig } from '../config/schema.ts';
import type { Env } from './kubernetes.ts';
import { localPipelineStage, type PipelineHost } from './pipelineStage.ts';
import { startPipelineWorkers } from './worker/pipelineWorkers.ts';

export interface PipelineHostOptions {
  /** Worker threads; default edgeThreadsFor(config). 0 runs the pipelines in this thread. */
  threads?: number;
  env?: Env;
  hostname?: string;
  log: Logger;
  /** Resolves when shutdown begins (inputs waiting for room stop waiting). */
  stopping: Promise<void>;
}

/**
 * How many worker threads the pipeline gets (`edge.threads`). `auto`: one per two cores, at most 4, so
 * the agent leaves the machine's applications most of it; none on a single core, where a thread only
 * adds the cost of handing lines over; none without inputs, and none when every input parses at the
 * server (`parse: server`). Measured on 2 shared cores
 * (docs/benchmarks.md): a second worker added CPU per line and no throughput.
 */
export function edgeThreadsFor(config: AgentConfig, cores = availableParallelism()): number {
  if (config.inputs.length === 0) return 0;
  if (config.edge.threads !== 'auto') return config.edge.threads;
  // Lines parsed at the server cost a masking scan and an escape each: handing them to a thread costs
  // more than that (measured on 2 cores: 7.1 CPU s per 1M lines with a worker, 6.2 without).
  if (config.inputs.every((input) => input.parse === 'server')) return 0;
  return cores < 2 ? 0 : Math.min(4, Math.floor(cores / 2));
}

export async function startPipelineHost(
  config: AgentConfig,
  options: PipelineHostOptions,
): Promise<PipelineHost> {
  const threads = options.threads ?? edgeThreadsFor(config);
  if (threads > 0) return startPipelineWorkers(config, { ...options, threads });
  const masker = createMasker(config.mask);
  const enrichment = { env: options.env, hostname: options.hostname };
  return {
    threads: 0,
    stage: (index, sink) => localPipelineStage(config.inputs[index], config, masker, sink, enrichment),
    maskStats: () => masker.stats(),
    close: async () => undefined,
  };
}
