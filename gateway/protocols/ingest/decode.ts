import { parseJsonBody } from '../../body/jsonBody.ts';
import { INVALID_UTF8, ndjsonLines } from '../../body/lines.ts';
import { tooManyRecords } from '../../body/recordLimit.ts';
import { problem } from '../../ingest/ingestBatch.ts';

/** A JSON array of records, or one record as an object. */
export function decodeJsonRecords(raw: Buffer, maxRecords: number): unknown[] {
  const parsed = parseJsonBody(raw, [], maxRecords);
  return Array.isArray(parsed) ? parsed : [parsed];
}

/**
 * One record per line; a line that is not JSON is refused by index while the others go through.
 * Lines past `maxRecords` are never parsed: the batch is refused at the first one.
 */
export function decodeNdjson(raw: Buffer, maxRecords: number): unknown[] {
  const records: unknown[] = [];
  for (const line of ndjsonLines(raw)) {
    if (records.length === maxRecords) throw tooManyRecords(maxRecords);
    const n = records.length + 1;
    records.push(line === INVALID_UTF8 ? problem(`line ${n} is not valid UTF-8`) : parseLine(line, n));
  }
  return records;
}

function parseLine(line: string, n: number): unknown {
  try {
    return JSON.parse(line);
  } catch (error) {
    return problem(`line ${n} is not valid JSON: ${(error as Error).message}`);
  }
}
