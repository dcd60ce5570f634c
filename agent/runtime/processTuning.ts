/**
 * The V8 options and allocator settings the agent process runs with: what it holds in memory is mostly
 * V8's young generation and glibc's per-thread arenas, not live data (docs/agent.md, "Memory"; measured
 * by bench:agent, docs/benchmarks.md). Both must be set before the process starts, so the agent
 * restarts itself once, in place (process.execve: same pid, same stdio), when they are missing. The
 * single binary carries the V8 options in its SEA config (agent/build/sea.ts).
 */
/**
 * `--max-semi-space-size=1`: V8 grows the young generation to 2 × 16–32 MB under load, nearly all of it
 * garbage between scavenges; 1 MB semi-spaces keep the agent's heap near its live size.
 */
export const AGENT_V8_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/**
 * glibc gives each thread that allocates (the thread pool compressing batches, V8's GC and compiler
 * threads) an arena of its own and keeps what they free; two arenas hold far less.
 */
export const AGENT_ALLOCATOR_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };

/** Set in the restarted process (so it never restarts again); `off` keeps Node's defaults. */
export const TUNING_ENV = 'SLUICE_AGENT_TUNING';

type Env = Readonly<Record<string, string | undefined>>;

export interface Restart {
  args: string[];
  env: Record<string, string>;
}

export interface ProcessState {
  execArgv: readonly string[];
  argv: readonly string[];
  env: Env;
  /** The single binary: its V8 options are built in, and its argv[1] repeats argv[0]. */
  sea: boolean;
}

/**
 * What to restart with, or undefined when nothing is missing or restarting is off. Options the user
 * gave (on the command line or in NODE_OPTIONS) and variables already set win over the agent's.
 */
export function restartFor(state: ProcessState): Restart | undefined {
  const { execArgv, argv, env, sea } = state;
  if (env[TUNING_ENV] !== undefined) return undefined;
  const given = `${execArgv.join(' ')} ${env.NODE_OPTIONS ?? ''}`;
  const flags = sea ? [] : AGENT_V8_FLAGS.filter((flag) => !given.includes(flag.slice(0, flag.indexOf('='))));
  const vars = Object.entries(AGENT_ALLOCATOR_ENV).filter(([name]) => env[name] === undefined);
  if (flags.length === 0 && vars.length === 0) return undefined;
  const inherited = Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return {
    args: sea ? [argv[0], ...argv.slice(2)] : [argv[0], ...execArgv, ...flags, ...argv.slice(1)],
    env: { ...inherited, ...Object.fromEntries(vars), [TUNING_ENV]: 'on' },
  };
}

/**
 * Restarts the process with the agent's V8 options and allocator settings when it lacks them. Returns
 * only when it does not restart: not Linux (the settings are glibc's), no process.execve (Node < 23.11,
 * Deno), or nothing to change. Called after enableCompileCache(), which sets NODE_COMPILE_CACHE: the
 * restarted process has it from its start, so even its entry file comes from the cache and Node's
 * TypeScript stripper is never loaded (~17 MB).
 */
export function restartTuned(): void {
  const execve = (
    process as { execve?: (file: string, args: string[], env: Record<string, string>) => never }
  ).execve;
  if (process.platform !== 'linux' || typeof execve !== 'function') return;
  const sea = process.getBuiltinModule?.('node:sea') as { isSea(): boolean } | undefined;
  const restart = restartFor({
    execArgv: process.execArgv,
    argv: process.argv,
    env: process.env,
    sea: sea?.isSea() === true,
  });
  // execPath, not argv[0] (which may be a bare `node`): the same binary again.
  if (restart !== undefined) execve.call(process, process.execPath, restart.args, restart.env);
}
