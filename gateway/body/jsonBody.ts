import { ApiError } from '../../core/http/apiError.ts';
import { limitJsonArrays } from './jsonArrays.ts';

/**
 * A JSON body, parsed only once it is known to hold at most `maxRecords` records at `recordPath`
 * (see limitJsonArrays), else refused with 413; a body that is not JSON is refused whole with 400.
 */
export function parseJsonBody(raw: Buffer, recordPath: readonly string[], maxRecords: number): unknown {
  const text = raw.toString('utf8');
  limitJsonArrays(text, recordPath, maxRecords);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'malformed_json', `body is not valid JSON: ${(error as Error).message}`);
  }
}
