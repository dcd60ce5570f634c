/**
 * The error every Sluice HTTP API answers with (contracts.md §2):
 * `{"error": {"code": "…", "message": "…", "details": […]}}` and a fitting status.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown[];
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { details?: unknown[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = options.details ?? [];
    this.headers = options.headers ?? {};
  }

  toJSON(): { error: { code: string; message: string; details: unknown[] } } {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** 503 or 429 with the Retry-After header contracts.md §2 promises. */
export function retryLater(status: 429 | 503, code: string, message: string, seconds: number): ApiError {
  return new ApiError(status, code, message, {
    headers: { 'Retry-After': String(Math.max(1, Math.ceil(seconds))) },
  });
}

export function errorBody(error: ApiError): string {
  return JSON.stringify(error.toJSON());
}
