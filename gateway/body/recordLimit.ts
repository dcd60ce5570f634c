import { ApiError } from '../../core/http/apiError.ts';

/**
 * The 413 for a batch over `limits.max_records`. Decoders raise it the moment they pass the limit, so
 * the count beyond it is never known (nor worth parsing the rest of the body to learn).
 */
export function tooManyRecords(max: number): ApiError {
  return new ApiError(
    413,
    'too_many_records',
    `batch has more than ${max} records, the limit per request; send smaller batches`,
  );
}
