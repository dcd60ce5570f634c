import module from 'node:module';

/**
 * From a checkout, Node compiles every module of the agent and strips its types at each start, in the
 * main thread and again in each pipeline worker: measured, half its start-up CPU and some 30 MB of memory
 * (the type stripper's). Node's compile cache keeps the result on disk (in the OS temp directory, as
 * Node does for npm) and the next start loads it. The single binary carries V8's code cache already,
 * and Deno caches on its own, so neither turns it on.
 */
export function enableCompileCache(): void {
  const sea = process.getBuiltinModule?.('node:sea') as { isSea(): boolean } | undefined;
  if (sea?.isSea() || typeof module.enableCompileCache !== 'function') return;
  const result = module.enableCompileCache();
  // Workers read the variable when they start: with it they load from the same cache.
  if (result.directory !== undefined) process.env.NODE_COMPILE_CACHE ??= result.directory;
}

/**
 * Writes what was compiled so far to the cache now: Node writes it at a clean exit only, and an agent
 * runs until it is stopped, or killed.
 */
export function flushCompileCache(): void {
  if (typeof module.flushCompileCache === 'function') module.flushCompileCache();
}
