import { ApiError } from '../../../core/http/apiError.ts';
import type { IngestOutcome } from '../../ingest/ingestBatch.ts';

/**
 * An error in Splunk HEC's answer shape, `{"text": "…", "code": n}` (Splunk's codes: 2 token required,
 * 3 invalid authorization, 4 invalid token, 5 no data, 6 invalid data format, 8 internal error, 9 server
 * busy, 10 channel missing, 11 invalid channel, 12 event field required, 13 event field blank, 18
 * unhealthy), so HEC clients read it as they read Splunk's; it also carries Sluice's error body fields
 * (`error.code`: Sluice's own code where Sluice refused, e.g. `too_many_records`) for whatever reads those.
 */
export class HecError extends ApiError {
  readonly hecCode: number;
  readonly invalidEventNumber: number | undefined;

  constructor(
    status: number,
    hecCode: number,
    text: string,
    options: { invalidEventNumber?: number; code?: string } = {},
  ) {
    super(status, options.code ?? HEC_ERROR_CODES[hecCode] ?? 'hec_error', text);
    this.hecCode = hecCode;
    this.invalidEventNumber = options.invalidEventNumber;
  }

  override toJSON() {
    return {
      text: this.message,
      code: this.hecCode,
      ...(this.invalidEventNumber === undefined ? {} : { 'invalid-event-number': this.invalidEventNumber }),
      ...super.toJSON(),
    };
  }
}

const HEC_ERROR_CODES: Record<number, string> = {
  2: 'missing_key',
  3: 'invalid_authorization',
  4: 'invalid_key',
  5: 'no_data',
  6: 'invalid_data_format',
  8: 'internal_error',
  9: 'server_busy',
  10: 'channel_missing',
  11: 'invalid_channel',
  12: 'event_field_required',
  13: 'event_field_blank',
  18: 'unhealthy',
};

/**
 * HEC's answer: `{"text":"Success","code":0}` when every event was taken, with its `ackId` when the
 * request named a channel (acknowledgements.ts). Otherwise 400 naming the
 * first refused event as Splunk does (`invalid-event-number`, counted from 0); as with Splunk, the
 * events that were valid are stored, and `accepted`/`rejected`/`errors` say which.
 */
export function hecAnswer(outcome: IngestOutcome, state: { ackId?: number }): Response {
  if (outcome.rejected === 0)
    return Response.json({
      text: 'Success',
      code: 0,
      ...(state.ackId === undefined ? {} : { ackId: state.ackId }),
    });
  const first = outcome.errors[0];
  const code = first.reason.startsWith('Event field is required')
    ? 12
    : first.reason.startsWith('Event field cannot be blank')
      ? 13
      : 6;
  const text = code === 6 ? `Invalid data format: ${first.reason}` : first.reason;
  return Response.json(
    {
      text,
      code,
      'invalid-event-number': first.index,
      accepted: outcome.accepted,
      rejected: outcome.rejected,
      errors: outcome.errors.slice(0, 100),
    },
    { status: 400 },
  );
}

/**
 * A refusal of an HEC route in Splunk's shape and HTTP status, so HEC clients read it as they read
 * Splunk's: 401 code 2 without a key, 401 code 3 for an Authorization header that is not
 * `Splunk <key>` (or another form Sluice reads), 403 code 4 for an unknown key or one without the
 * ingest role; 400 code 6 for a body that cannot be read; 413 for a body or batch over the limits
 * (Splunk documents no code for it; 6 here); 429 and 503 code 9, server busy (Retry-After kept).
 */
export function hecRefusal(error: ApiError, request: Request): Response {
  const hec = error instanceof HecError ? error : asHec(error, request);
  return Response.json(hec.toJSON(), { status: hec.status, headers: error.headers });
}

function asHec(error: ApiError, request: Request): HecError {
  switch (error.status) {
    case 401:
      return error.code === 'missing_key' && (request.headers.get('authorization') ?? '').trim() !== ''
        ? new HecError(401, 3, 'Invalid authorization: send "Authorization: Splunk <key>"')
        : error.code === 'missing_key'
          ? new HecError(401, 2, 'Token is required')
          : new HecError(403, 4, `Invalid token: ${error.message}`);
    case 403:
      return new HecError(403, 4, `Invalid token: ${error.message}`);
    case 429:
    case 503:
      return new HecError(error.status, 9, `Server is busy: ${error.message}`, { code: error.code });
    case 413:
      return new HecError(413, 6, error.message, { code: error.code });
    default:
      return error.status >= 500
        ? new HecError(error.status, 8, 'Internal server error')
        : new HecError(error.status, 6, `Invalid data format: ${error.message}`, { code: error.code });
  }
}
