import { LEVELS, type Level } from '../event/types.ts';

/**
 * Spellings people and logging libraries use for each level (syslog, log4j/JUL, .NET, Go, Python,
 * Android/glog single letters). Keys are lowercase; lookups lowercase the input first.
 */
const LEVEL_ALIASES: Readonly<Record<string, Level>> = {
  trace: 'trace',
  trc: 'trace',
  t: 'trace',
  verbose: 'trace',
  v: 'trace',
  finest: 'trace',
  finer: 'trace',
  debug: 'debug',
  dbg: 'debug',
  d: 'debug',
  fine: 'debug',
  info: 'info',
  inf: 'info',
  i: 'info',
  information: 'info',
  informational: 'info',
  notice: 'info',
  warn: 'warn',
  warning: 'warn',
  wrn: 'warn',
  w: 'warn',
  error: 'error',
  err: 'error',
  e: 'error',
  severe: 'error',
  fatal: 'fatal',
  ftl: 'fatal',
  f: 'fatal',
  crit: 'fatal',
  critical: 'fatal',
  alert: 'fatal',
  emerg: 'fatal',
  emergency: 'fatal',
  panic: 'fatal',
};

/** The canonical level for a common spelling (case-insensitive), or undefined when unknown. */
export function normalizeLevel(text: string): Level | undefined {
  const key = text.trim().toLowerCase();
  return Object.hasOwn(LEVEL_ALIASES, key) ? LEVEL_ALIASES[key] : undefined;
}

export const LEVEL_NAMES_HINT = LEVELS.join(', ');
