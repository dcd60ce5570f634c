import { ApiError } from '../../../core/http/apiError.ts';
import { INVALID_UTF8, type Line, ndjsonLines } from '../../body/lines.ts';
import { tooManyRecords } from '../../body/recordLimit.ts';
import { problem } from '../../ingest/ingestBatch.ts';

export interface BulkItem {
  action: string;
  index: string;
  id?: string;
  /** Position of this item's record in the records handed to ingestBatch. */
  record: number;
}

/**
 * Pairs of action and document lines; `index` and `create` carry a document, `delete` is refused per
 * item (logs are append-only), `update` too. The index name becomes the service when the document names
 * none. Every action is a record: the batch is refused at the first one past `maxRecords`.
 */
export function decodeBulk(
  raw: Buffer,
  defaultIndex: string | undefined,
  maxRecords: number,
): { records: unknown[]; items: BulkItem[] } {
  const records: unknown[] = [];
  const items: BulkItem[] = [];
  const lines = ndjsonLines(raw);
  let lineNumber = 0;
  const nextLine = (): Line | undefined => {
    const next = lines.next();
    if (next.done) return undefined;
    lineNumber++;
    return next.value;
  };
  for (let actionLine = nextLine(); actionLine !== undefined; actionLine = nextLine()) {
    if (records.length === maxRecords) throw tooManyRecords(maxRecords);
    const action = parseAction(actionLine, lineNumber);
    const name = Object.keys(action ?? {})[0];
    const meta = name === undefined ? {} : (action[name] ?? {});
    const index = meta._index ?? defaultIndex ?? 'logs';
    let record: unknown;
    if (name !== 'index' && name !== 'create' && name !== 'update') {
      record = problem(`bulk action "${name}" is not supported: Sluice stores logs append-only`);
    } else {
      const doc = nextLine();
      if (doc === undefined) record = problem('bulk action has no document line');
      else if (doc === INVALID_UTF8) record = problem('document is not valid UTF-8');
      else record = parseDocument(doc, index, name);
    }
    items.push({ action: name ?? 'index', index, id: meta._id, record: records.length });
    records.push(record);
  }
  return { records, items };
}

type Action = Record<string, { _index?: string; _id?: string }>;

function parseAction(line: Line, lineNumber: number): Action {
  try {
    if (line === INVALID_UTF8) throw new Error('not valid UTF-8');
    return JSON.parse(line);
  } catch (error) {
    throw new ApiError(
      400,
      'malformed_bulk',
      `bulk action on line ${lineNumber} is not valid JSON: ${(error as Error).message}`,
    );
  }
}

function parseDocument(line: string, index: string, action: string): unknown {
  if (action === 'update')
    return problem('bulk action "update" is not supported: Sluice stores logs append-only');
  try {
    const doc = JSON.parse(line);
    if (
      doc !== null &&
      typeof doc === 'object' &&
      !Array.isArray(doc) &&
      !('service' in doc) &&
      !('app' in doc)
    ) {
      return { service: index, ...doc };
    }
    return doc;
  } catch (error) {
    return problem(`document is not valid JSON: ${(error as Error).message}`);
  }
}
