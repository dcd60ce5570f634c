import { ApiError } from '../../core/http/apiError.ts';

/** The media type of the request without parameters, lowercased ('' when absent). */
export function mediaType(request: Request): string {
  const header = request.headers.get('content-type') ?? '';
  const semi = header.indexOf(';');
  return (semi === -1 ? header : header.slice(0, semi)).trim().toLowerCase();
}

export interface MediaTypes {
  /** The media types a route takes; null takes any (Elasticsearch clients send varied ones). */
  accepted: readonly string[] | null;
  /** The 415 message for another type, when a hint helps more than the list (e.g. "not protobuf"). */
  refusal?(type: string): string;
}

/** 415 with a hint before a byte of the body is read, when the request's media type is not taken. */
export function checkMediaType(type: string, media: MediaTypes): void {
  if (media.accepted === null || media.accepted.includes(type)) return;
  throw new ApiError(
    415,
    'unsupported_media_type',
    media.refusal?.(type) ??
      `Content-Type "${type || '(none)'}" is not accepted; send ${media.accepted.join(' or ')}`,
  );
}
