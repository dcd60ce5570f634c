import { levelFromSyslogSeverity } from '../../event/levels.ts';
import type { ParsedRecord } from '../types.ts';

/** Facility names by code, RFC 5424 §6.2.1 (13 and 14 are the log audit and log alert facilities). */
// biome-ignore format: one row reads as the table it is
const FACILITIES = [
  'kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
  'ntp', 'audit', 'alert', 'clock', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
];

/**
 * Reads `<PRI>` at the start of a line: 1 to 3 digits, 0..191 (facility × 8 + severity). Returns the
 * index after `>`, or -1 when the line does not start with a valid one (the PRI is optional in files
 * written by rsyslog and syslog-ng).
 */
export function readPriority(line: string, record: ParsedRecord): number {
  if (line.charCodeAt(0) !== 60 /* < */) return -1;
  let pri = 0;
  let i = 1;
  for (; i < 5 && i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 62 /* > */) break;
    if (c < 48 || c > 57) return -1;
    pri = pri * 10 + (c - 48);
  }
  if (i === 1 || i > 4 || line.charCodeAt(i) !== 62 || pri > 191) return -1;
  record.level = levelFromSyslogSeverity(pri & 7);
  record['syslog.facility'] = FACILITIES[pri >> 3];
  return i + 1;
}
