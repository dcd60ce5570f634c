/** Why an S3 request failed, with what S3 said and what it was about. */
export interface S3ErrorInit {
  /** S3's error code (`NoSuchKey`, `SignatureDoesNotMatch`, …), or `NetworkError` when no answer came. */
  code: string;
  /** HTTP status; 0 when the endpoint could not be reached. */
  status: number;
  message: string;
  operation: string;
  bucket?: string;
  key?: string;
  requestId?: string;
  cause?: unknown;
}

export class S3Error extends Error {
  readonly code: string;
  readonly status: number;
  readonly operation: string;
  readonly bucket: string | undefined;
  readonly key: string | undefined;
  readonly requestId: string | undefined;

  constructor(init: S3ErrorInit) {
    const target =
      init.bucket === undefined ? '' : ` ${init.bucket}${init.key === undefined ? '' : `/${init.key}`}`;
    const status = init.status === 0 ? '' : ` ${init.status}`;
    super(`S3 ${init.operation}${target} failed:${status} ${init.code}: ${init.message}`, {
      cause: init.cause,
    });
    this.name = 'S3Error';
    this.code = init.code;
    this.status = init.status;
    this.operation = init.operation;
    this.bucket = init.bucket;
    this.key = init.key;
    this.requestId = init.requestId;
  }
}

/** Codes S3 leaves out of HEAD answers (no body), derived from the status instead. */
export function codeForStatus(status: number): string {
  switch (status) {
    case 301:
      return 'PermanentRedirect';
    case 400:
      return 'BadRequest';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 409:
      return 'Conflict';
    case 412:
      return 'PreconditionFailed';
    case 416:
      return 'InvalidRange';
    case 503:
      return 'SlowDown';
    default:
      return status >= 500 ? 'InternalError' : 'UnknownError';
  }
}
