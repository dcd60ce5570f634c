const MONTHS: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

/** `23/Nov/2026:12:00:00 +0000`, as written by the rules of the Common Log Format. */
const CLF_TIME = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}:\d{2}:\d{2}) ([+-]\d{2})(\d{2})$/;

/**
 * Common Log Format time (nginx `$time_local`, Apache `%t`) as RFC 3339:
 * `23/Nov/2026:12:00:00 +0000` → `2026-11-23T12:00:00+00:00`. The offset is kept, so no time zone
 * guess is made. Undefined for anything else; the caller keeps the text as written.
 */
export function clfTimeToIso(text: string): string | undefined {
  const m = CLF_TIME.exec(text);
  if (m === null) return undefined;
  const month = MONTHS[m[2]];
  if (month === undefined) return undefined;
  return `${m[3]}-${month}-${m[1]}T${m[4]}${m[5]}:${m[6]}`;
}
