export { TimeInvalidError } from './errors.ts';
export { parseTimeExpression } from './expression.ts';
export { type ParsedRfc3339, parseRfc3339 } from './rfc3339.ts';
export { formatIso, parseTimestamp, type Timestamp, timestampMs } from './timestamp.ts';
