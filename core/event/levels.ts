import type { Level } from './types.ts';

/**
 * Level spellings seen in the wild (log4j, logback, Python, Go, syslog keywords, .NET, Android
 * single letters), lowercased. Anything unknown is reported as null so the caller can keep the raw value.
 * The one table: ingest normalizes with it and the query language reads `level:` values with it
 * (core/query/terms.ts), so every level an event can carry can also be searched for.
 */
// biome-ignore format: a table reads better grouped by level
const SPELLINGS: Record<string, Level> = {
  trace: 'trace', trc: 'trace', finest: 'trace', finer: 'trace', verbose: 'trace', t: 'trace', v: 'trace',
  debug: 'debug', dbg: 'debug', fine: 'debug', config: 'debug', d: 'debug',
  info: 'info', inf: 'info', information: 'info', informational: 'info', notice: 'info', i: 'info', n: 'info',
  warn: 'warn', warning: 'warn', wrn: 'warn', w: 'warn',
  error: 'error', err: 'error', eror: 'error', severe: 'error', e: 'error',
  fatal: 'fatal', ftl: 'fatal', critical: 'fatal', crit: 'fatal', alert: 'fatal', emerg: 'fatal',
  emergency: 'fatal', panic: 'fatal', f: 'fatal', c: 'fatal',
};

/** Syslog severities 0 (emerg) .. 7 (debug), RFC 5424 §6.2.1. */
const SYSLOG: Level[] = ['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'];

/** OpenTelemetry SeverityNumber 1..24: four numbers per level, TRACE(1-4) .. FATAL(21-24). */
export function levelFromOtelSeverity(n: number): Level | null {
  if (!Number.isInteger(n) || n < 1 || n > 24) return null;
  return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[Math.floor((n - 1) / 4)];
}

export function levelFromSyslogSeverity(n: number): Level | null {
  return Number.isInteger(n) && n >= 0 && n <= 7 ? SYSLOG[n] : null;
}

/** pino and bunyan: 10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal. */
function levelFromPino(n: number): Level | null {
  if (n % 10 !== 0 || n < 10 || n > 60) return null;
  return (['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)[n / 10 - 1];
}

/**
 * A number in a generic level field: pino/bunyan's tens first (the most common numeric levels in
 * JSON logs), then syslog's 0..7, then OpenTelemetry's 1..24 for the rest.
 */
export function levelFromNumber(n: number): Level | null {
  return levelFromPino(n) ?? levelFromSyslogSeverity(n) ?? levelFromOtelSeverity(n);
}

/** Every spelling of the table, lowercase (lookups fold case and trim). */
export const LEVEL_SPELLINGS: readonly string[] = Object.keys(SPELLINGS);

/** A spelling (`WARNING`, `err`) or a numeric string (`30`, `3`), as a level field's text is read. */
export function levelFromText(text: string): Level | null {
  // Most lines spell their level as the table does ("info"): one lookup, no new strings. Own keys only,
  // so a name of Object.prototype takes the same path as before.
  if (Object.hasOwn(SPELLINGS, text)) return SPELLINGS[text];
  const key = text.trim().toLowerCase();
  if (Object.hasOwn(SPELLINGS, key)) return SPELLINGS[key]; // not `constructor` from the prototype
  if (/^\d{1,2}$/.test(key)) return levelFromNumber(Number(key));
  return null;
}

/** Any level value: a spelling, a numeric string or a number. */
export function parseLevel(value: unknown): Level | null {
  if (typeof value === 'string') return levelFromText(value);
  if (typeof value === 'number') return levelFromNumber(value);
  return null;
}
