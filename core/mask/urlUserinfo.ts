import { PASSWORD } from './detectors.ts';
import { maskRange, type Scanner } from './spans.ts';

/** Authorities longer than this are not URLs worth parsing; bounds the work per `://`. */
const MAX_AUTHORITY = 2048;

/**
 * Called at the `:` of `scheme://`. Masks the password of `scheme://user:password@host` and keeps the
 * user, host and everything after. Returns where scanning resumes: after the userinfo's `@`, so neither
 * the `user:` nor the `@` is read again as a key or an e-mail address.
 */
export function maskUrlUserinfo(sc: Scanner, s: string, colon: number): number {
  const from = colon + 3;
  const limit = Math.min(s.length, from + MAX_AUTHORITY);
  let at = -1;
  let p = from;
  for (; p < limit; p++) {
    const c = s.charCodeAt(p);
    if (c === 64) at = p;
    else if (endsAuthority(c)) break;
  }
  if (at < 0) return from;
  const userEnd = s.indexOf(':', from);
  if (userEnd >= 0 && userEnd < at && (sc.enabled >> PASSWORD) & 1) {
    maskRange(sc, s, userEnd + 1, at, PASSWORD);
  }
  return at + 1;
}

/** `/ ? #`, whitespace, quotes, angle brackets and backslashes end an authority. */
function endsAuthority(c: number): boolean {
  return (
    c === 47 || c === 63 || c === 35 || c <= 32 || c === 34 || c === 39 || c === 60 || c === 62 || c === 92
  );
}
