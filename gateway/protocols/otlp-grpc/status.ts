import { Metadata, status } from '@grpc/grpc-js';
import { ApiError } from '../../../core/http/apiError.ts';

/** What a failed call answers: a gRPC status, its message, and trailers (`retry-after` for 429/503). */
export interface GrpcFailure {
  code: status;
  details: string;
  metadata: Metadata;
}

/**
 * The gRPC status of an HTTP-shaped ApiError, so the gRPC listener refuses exactly what the HTTP routes
 * refuse. OTLP exporters retry UNAVAILABLE (bus down: nothing was acknowledged) and, with backoff,
 * RESOURCE_EXHAUSTED (over the tenant's rate); INVALID_ARGUMENT and UNAUTHENTICATED are not retried.
 */
const BY_HTTP_STATUS: Record<number, status> = {
  400: status.INVALID_ARGUMENT,
  401: status.UNAUTHENTICATED,
  403: status.PERMISSION_DENIED,
  408: status.DEADLINE_EXCEEDED,
  // Over max_records or the body size: what grpc-js answers for a message over its size limit too.
  413: status.RESOURCE_EXHAUSTED,
  415: status.INVALID_ARGUMENT,
  422: status.INVALID_ARGUMENT,
  429: status.RESOURCE_EXHAUSTED,
  503: status.UNAVAILABLE,
};

export function grpcFailure(error: unknown): GrpcFailure | null {
  if (!(error instanceof ApiError)) return null;
  const metadata = new Metadata();
  const retryAfter = error.headers['Retry-After'];
  if (retryAfter !== undefined) metadata.set('retry-after', retryAfter);
  // The same code as the HTTP body's `error.code`, for people reading a client's log.
  return {
    code: BY_HTTP_STATUS[error.status] ?? status.INTERNAL,
    details: `${error.code}: ${error.message}`,
    metadata,
  };
}
