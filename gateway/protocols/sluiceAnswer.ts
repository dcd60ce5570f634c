import { ApiError } from '../../core/http/apiError.ts';
import type { IngestOutcome } from '../ingest/ingestBatch.ts';

/** How many per-record errors an answer lists; the counts stay exact. */
export const MAX_LISTED_ERRORS = 100;

/** Sluice's own ingest answer; a batch where every record was refused is a 422, not a 202. */
export function ingestAnswer(outcome: IngestOutcome): Response {
  const errors = outcome.errors.slice(0, MAX_LISTED_ERRORS);
  if (outcome.accepted === 0 && outcome.rejected > 0) {
    throw new ApiError(
      422,
      'all_records_rejected',
      `all ${outcome.rejected} records were refused; see details`,
      {
        details: errors,
      },
    );
  }
  return Response.json(
    { accepted: outcome.accepted, rejected: outcome.rejected, retimed: outcome.retimed, errors },
    { status: 202 },
  );
}
