/**
 * Where the pipeline worker's code comes from, the one runtime-specific part of running it. From a
 * checkout (Node, Deno) it is pipelineWorker.ts beside this file. The single binary has
 * no files beside it: its build bundles the worker on its own and defines SLUICE_PIPELINE_WORKER_BUNDLE
 * as that bundle's text (agent/build/bundle.ts), which runs as an `eval` worker.
 */
declare const SLUICE_PIPELINE_WORKER_BUNDLE: string | undefined;

export type WorkerScript = { kind: 'file'; url: URL } | { kind: 'code'; code: string };

export function pipelineWorkerScript(): WorkerScript {
  if (typeof SLUICE_PIPELINE_WORKER_BUNDLE === 'string')
    return { kind: 'code', code: SLUICE_PIPELINE_WORKER_BUNDLE };
  return { kind: 'file', url: new URL('./pipelineWorker.ts', import.meta.url) };
}
