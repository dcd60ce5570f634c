import { ApiError } from '../../core/http/apiError.ts';
import { limitJsonArrays } from './jsonArrays.ts';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * A JSON body, parsed only once it is known to hold at most `maxRecords` records at `recordPath`
 * (see limitJsonArrays), else refused with 413; a body that is not JSON is refused whole with 400.
 */
export function parseJsonBody(raw: Buffer, recordPath: readonly string[], maxRecords: number): unknown {
  let text: string;
  try {
    // Fatal: invalid bytes would otherwise be stored as U+FFFD after a 202, as NDJSON lines never are.
    text = UTF8.decode(raw);
  } catch {
    throw new ApiError(400, 'invalid_utf8', 'body is not valid UTF-8; send JSON encoded as UTF-8');
  }
  limitJsonArrays(text, recordPath, maxRecords);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'malformed_json', `body is not valid JSON: ${(error as Error).message}`);
  }
}
