/**
 * The Sluice agent: `sluice-agent --config agent.yaml` (docs/agent.md). Reads files or stdin, turns
 * lines into events at the edge, ships them to the gateway, and keeps checkpoints of what the gateway
 * acknowledged. Exit codes: 0 stopped cleanly, 1 failed while running, 2 bad config or usage.
 *
 * This file turns on the compile cache before anything else is loaded, restarts the process with the
 * agent's V8 and allocator settings when it lacks them (runtime/processTuning.ts), then loads the agent
 * (runtime/processMain.ts), so the agent's own modules come from the cache too.
 */
import { enableCompileCache, flushCompileCache } from './runtime/compileCache.ts';
import { restartTuned } from './runtime/processTuning.ts';

enableCompileCache();
restartTuned();
import('./runtime/processMain.ts').then(flushCompileCache, (error: unknown) => {
  process.stderr.write(`sluice-agent: ${(error as Error)?.stack ?? String(error)}\n`);
  process.exit(1);
});
