/** The formats `auto` tells apart line by line. */
export type DetectedFormat = 'json' | 'syslog' | 'access' | 'logfmt' | 'plain';

/** `10.0.0.5 - - [23/Nov/2026:…`: three words and a bracketed CLF date, anchored so misses are cheap. */
const ACCESS_START = /^\S+ \S+ \S+ \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:/;
/** A first word shaped `key=`: logfmt lines start with a pair (`ts=…`, `level=…`). */
const LOGFMT_START = /^[A-Za-z_][\w.-]{0,63}=/;

/**
 * Guesses a line's format from its first characters, for inputs that mix formats (containers writing
 * JSON and plain panics to one stream). `{` is JSON, `<digit` syslog, a CLF line an access log, a leading
 * `key=` logfmt, anything else plain. Cheap: one character test and at most two anchored regexes.
 */
export function detectFormat(line: string): DetectedFormat {
  const first = line.charCodeAt(0);
  if (first === 123 /* { */) return 'json';
  if (first === 60 /* < */) {
    const second = line.charCodeAt(1);
    return second >= 48 && second <= 57 ? 'syslog' : 'plain';
  }
  if (LOGFMT_START.test(line)) return 'logfmt';
  if (ACCESS_START.test(line)) return 'access';
  return 'plain';
}
