import { ApiError } from '../../core/http/apiError.ts';

/**
 * The URL a proxied request goes to: always the route's configured upstream (scheme, host, port), with the
 * request's path and query. The path is set on a copy of the upstream URL, never resolved against it, so
 * `//other-host/x`, `//user:pw@host/`, `/\host` or an absolute request target cannot change the host
 * (resolving `//host/x` against a base takes it as protocol-relative: an open proxy).
 *
 * Paths an upstream could read as something other than what the gateway routed are refused with 400: an
 * encoded `/` or `\` (`%2F`, `%5C`), an encoded NUL, a dot segment still there after the URL parser's own
 * normalisation (`%2e%2e` hidden behind an encoded slash), or malformed percent-encoding. The WHATWG parser
 * has already turned `\` into `/` and removed literal and `%2e` dot segments before routing.
 */
export function proxyTarget(incoming: URL, upstream: string, strip: string | null): URL {
  const pathname = strip === null ? incoming.pathname : incoming.pathname.slice(strip.length) || '/';
  refuseAmbiguousPath(pathname);
  const target = new URL(upstream);
  target.pathname = pathname;
  target.search = incoming.search;
  target.hash = '';
  const base = new URL(upstream);
  if (
    target.origin !== base.origin ||
    target.username !== base.username ||
    target.password !== base.password
  ) {
    // Cannot happen with the assignments above; kept so a future change here fails closed.
    throw badPath('the request would leave the configured upstream');
  }
  return target;
}

function refuseAmbiguousPath(pathname: string): void {
  if (/%(2f|5c|00)/i.test(pathname)) {
    throw badPath('the path has an encoded "/", "\\" or NUL; send the characters unencoded');
  }
  for (const segment of pathname.split('/')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      throw badPath('the path has malformed percent-encoding');
    }
    if (decoded === '.' || decoded === '..') throw badPath('the path has a "." or ".." segment');
  }
}

function badPath(reason: string): ApiError {
  return new ApiError(400, 'bad_path', `cannot proxy this request: ${reason}`);
}
