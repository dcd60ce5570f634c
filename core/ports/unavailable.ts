/**
 * A store or the bus cannot serve right now (down, overloaded, a shard still starting). HTTP callers
 * answer 503 with Retry-After (contracts.md §2) rather than 500: the request was fine, retrying works.
 */
export class UnavailableError extends Error {
  readonly code: string;
  /** What is unavailable, in words an API client can read ("the search store"); no internals. */
  readonly resource: string;
  readonly retryAfterSeconds: number;

  constructor(
    code: string,
    resource: string,
    message: string,
    retryAfterSeconds: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'UnavailableError';
    this.code = code;
    this.resource = resource;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}
