/**
 * Structured logs of Sluice's own processes: one JSON object per line on stderr, so they can be shipped
 * by Sluice itself. Levels below the configured one are dropped before any formatting work.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

export function createLogger(
  options: { level?: LogLevel; component?: string; write?: (line: string) => void } = {},
): Logger {
  const min = RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const make = (base: Record<string, unknown>): Logger => {
    const emit = (level: LogLevel, message: string, fields?: Record<string, unknown>) => {
      if (RANK[level] < min) return;
      write(`${JSON.stringify({ ts: new Date().toISOString(), level, ...base, message, ...fields })}\n`);
    };
    return {
      debug: (m, f) => emit('debug', m, f),
      info: (m, f) => emit('info', m, f),
      warn: (m, f) => emit('warn', m, f),
      error: (m, f) => emit('error', m, f),
      child: (fields) => make({ ...base, ...fields }),
    };
  };
  return make(options.component === undefined ? {} : { component: options.component });
}

/** A logger that drops everything (tests). */
export const silentLogger: Logger = createLogger({ write: () => undefined });
