import { unparsed } from '../plain.ts';
import type { LineParser, ParsedRecord } from '../types.ts';
import type { BsdClock, TimeZone } from './bsdTime.ts';
import { readPriority } from './priority.ts';
import { createRfc3164Reader } from './rfc3164.ts';
import { readRfc5424 } from './rfc5424.ts';

export interface SyslogOptions {
  /** The current time in ms, for the year of RFC 3164 times; Date.now by default (tests pass their own). */
  now?: () => number;
  /** Zone of RFC 3164 times, which carry none: `local` (default) or `utc`. */
  timeZone?: TimeZone;
}

/**
 * Syslog lines as received on the wire or written to files: RFC 5424 (`<34>1 2026-11-23T12:00:03Z host
 * app 4242 ID47 [sd] msg`) and RFC 3164 (`<13>Nov 23 12:00:04 host tag[311]: msg`), the `<PRI>` optional
 * (files written by rsyslog have none). From PRI: `level` by syslog severity and `syslog.facility`.
 * A line in neither form is kept as a plain message with `syslog: …` as its parse error.
 */
export function createSyslogParser(options: SyslogOptions = {}): LineParser {
  const clock: BsdClock = { now: options.now ?? Date.now, timeZone: options.timeZone ?? 'local' };
  const readRfc3164 = createRfc3164Reader(clock);
  return (line: string): ParsedRecord => {
    const record: ParsedRecord = {};
    const afterPri = readPriority(line, record);
    const start = afterPri === -1 ? 0 : afterPri;
    if (afterPri !== -1 && readRfc5424(line, start, record)) return record;
    if (readRfc3164(line, start, record)) return record;
    const failed = unparsed(line, 'syslog: neither RFC 5424 nor RFC 3164');
    // What the PRI said is still true of the line.
    if (record.level !== undefined) failed.level = record.level;
    if (record['syslog.facility'] !== undefined) failed['syslog.facility'] = record['syslog.facility'];
    return failed;
  };
}
