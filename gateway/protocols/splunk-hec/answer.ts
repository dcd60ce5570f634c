import { ApiError } from '../../../core/http/apiError.ts';
import type { IngestOutcome } from '../../ingest/ingestBatch.ts';

/**
 * An error in Splunk HEC's answer shape, `{"text": "…", "code": n}` (Splunk's codes: 5 no data,
 * 6 invalid data format, 12 event field required, 13 event field blank), so HEC clients read it as
 * they read Splunk's; it also carries Sluice's error body fields for everything that reads those.
 */
export class HecError extends ApiError {
  readonly hecCode: number;
  readonly invalidEventNumber: number | undefined;

  constructor(status: number, hecCode: number, text: string, invalidEventNumber?: number) {
    super(status, HEC_ERROR_CODES[hecCode] ?? 'hec_error', text);
    this.hecCode = hecCode;
    this.invalidEventNumber = invalidEventNumber;
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
  5: 'no_data',
  6: 'invalid_data_format',
  12: 'event_field_required',
  13: 'event_field_blank',
};

/**
 * HEC's answer: `{"text":"Success","code":0}` when every event was taken. Otherwise 400 naming the
 * first refused event as Splunk does (`invalid-event-number`, counted from 0); as with Splunk, the
 * events that were valid are stored, and `accepted`/`rejected`/`errors` say which.
 */
export function hecAnswer(outcome: IngestOutcome): Response {
  if (outcome.rejected === 0) return Response.json({ text: 'Success', code: 0 });
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
