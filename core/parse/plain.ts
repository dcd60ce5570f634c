import { LIFT_ALL, liftInto } from './lift.ts';
import { PARSE_ERROR_ATTR, type ParsedRecord } from './types.ts';

/**
 * The line is the message. The header most frameworks write (`2026-11-23 12:00:00,123 ERROR [main] …`)
 * still gives the event its time and level, and a correlation ID or traceparent in the text is lifted.
 */
export function parsePlain(line: string): ParsedRecord {
  const record: ParsedRecord = { message: line };
  liftInto(line, record, LIFT_ALL);
  return record;
}

/**
 * A line that did not fit its format: kept whole as a plain message, never dropped, with the reason
 * in `sluice.parse_error` so the misfit can be found and the format fixed.
 */
export function unparsed(line: string, error: string): ParsedRecord {
  const record = parsePlain(line);
  record[PARSE_ERROR_ATTR] = error;
  return record;
}
