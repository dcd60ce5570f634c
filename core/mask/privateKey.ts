import { PRIVATE_KEY } from './detectors.ts';
import { backslashesBefore } from './quoted.ts';
import { maskRange, type Scanner } from './spans.ts';

const HEADER = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;
const FOOTER = /-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----/y;

/**
 * Called at `-----BEGIN`. Masks the body of a PEM or PGP private key block, keeping its BEGIN and END
 * lines so the reader sees what was there. Newlines may be real or JSON's literal `\n`: both are inside
 * the body. A block without its END line (a cut line) is masked to the end of the text, or to the end of
 * the JSON string it sits in. Returns where scanning resumes, or -1.
 */
export function maskPrivateKey(sc: Scanner, s: string, i: number): number {
  HEADER.lastIndex = i;
  if (!HEADER.test(s)) return -1;
  const bodyStart = HEADER.lastIndex;
  const footer = nextEndLine(sc, s, bodyStart);
  if (footer >= 0) {
    FOOTER.lastIndex = footer;
    const after = FOOTER.test(s) ? FOOTER.lastIndex : footer + 8;
    maskRange(sc, s, bodyStart, footer, PRIVATE_KEY);
    return after;
  }
  const end = endOfEnclosingString(s, bodyStart);
  maskRange(sc, s, bodyStart, end, PRIVATE_KEY);
  return end;
}

/** Next `-----END` at or after `from`, remembering the answer so repeated BEGINs do not search again. */
function nextEndLine(sc: Scanner, s: string, from: number): number {
  if (from < sc.pemSearchedFrom || (sc.pemEndAt >= 0 && sc.pemEndAt < from)) {
    sc.pemSearchedFrom = from;
    sc.pemEndAt = s.indexOf('-----END', from);
  }
  return sc.pemEndAt;
}

/** Key material never contains `"`: the first unescaped one closes the JSON string the block sits in. */
function endOfEnclosingString(s: string, from: number): number {
  let q = s.indexOf('"', from);
  while (q !== -1) {
    const run = backslashesBefore(s, q, from);
    if (run % 2 === 0) return q - run;
    q = s.indexOf('"', q + 1);
  }
  return s.length;
}
