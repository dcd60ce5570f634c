import type { LogEvent } from '../../core/event/types.ts';

const COLORS: Record<string, string> = {
  trace: '\x1b[90m',
  debug: '\x1b[36m',
  info: '\x1b[32m',
  warn: '\x1b[33m',
  error: '\x1b[31m',
  fatal: '\x1b[1;31m',
};
const RESET = '\x1b[0m';
const DIM = '\x1b[2m';

/** One event as one line for people: time, level, service, correlation id, message, attributes. */
export function formatEvent(e: LogEvent, color: boolean): string {
  const level = e.level.toUpperCase().padEnd(5);
  const attrs = Object.entries(e.attrs)
    .map(([k, v]) => `${k}=${typeof v === 'string' && /\s/.test(v) ? JSON.stringify(v) : String(v)}`)
    .join(' ');
  const cid = e.correlation_id === undefined ? '' : ` [${e.correlation_id}]`;
  // Control characters in a message must not drive the terminal.
  const message = e.message.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '?');
  if (!color) return `${e.ts} ${level} ${e.service}${cid} ${message}${attrs === '' ? '' : ` ${attrs}`}`;
  return `${DIM}${e.ts}${RESET} ${COLORS[e.level] ?? ''}${level}${RESET} ${e.service}${DIM}${cid}${RESET} ${message}${attrs === '' ? '' : ` ${DIM}${attrs}${RESET}`}`;
}
