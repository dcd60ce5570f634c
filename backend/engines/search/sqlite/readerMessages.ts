import type { LogEvent } from '../../../../core/event/types.ts';
import type { SearchPage, TimeRange } from '../../../../core/ports/searchStore.ts';
import { type AggregatePartial, AggregateTooLargeError } from '../../../../core/query/aggregate/index.ts';
import { QuerySyntaxError, QueryTooComplexError } from '../../../../core/query/index.ts';
import { CursorInvalidError } from '../../../sinks/search/cursor.ts';
import { type SearchPlan, SearchRequestError } from '../../../sinks/search/searchPlan.ts';
import type { AggregateScope } from './partitionAggregate.ts';
import type { Partition } from './partitionFiles.ts';

/** What the store posts to a reader thread (readerThread.ts) and what comes back. */
export interface ReaderData {
  path: string;
  maxOpenFiles: number;
}

export interface TraceScope extends TimeRange {
  tenant: string | null;
  services: string[] | undefined;
}

export type ToReader =
  | { kind: 'search'; id: number; partitions: Partition[]; plan: SearchPlan }
  | {
      kind: 'trace';
      id: number;
      partitions: Partition[];
      scope: TraceScope;
      correlationId: string;
      limit: number;
    }
  | { kind: 'aggregate'; id: number; partitions: Partition[]; scope: AggregateScope }
  /** Close these files' connections: retention removed them. */
  | { kind: 'forget'; fileNames: string[] };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  position?: number;
}

export type FromReader =
  | { id: number; ok: true; value: SearchPage | LogEvent[] | AggregatePartial }
  | { id: number; ok: false; error: SerializedError };

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code, position } = error as { code?: unknown; position?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof position === 'number' ? { position } : {}),
  };
}

/**
 * The error a reader thread threw, as the same class on the caller's side: the query API tells
 * errors apart by class and `code` (a bad cursor or query is the user's 400, not a 500).
 */
export function reviveError(error: SerializedError): Error {
  switch (error.name) {
    case 'SearchRequestError':
      return new SearchRequestError(error.message);
    case 'CursorInvalidError':
      return new CursorInvalidError(error.message);
    case 'QuerySyntaxError':
      return new QuerySyntaxError(error.message, error.position ?? 0);
    case 'QueryTooComplexError':
      return new QueryTooComplexError(error.message, error.position ?? 0);
    case 'AggregateTooLargeError':
      return new AggregateTooLargeError(
        error.code === 'too_many_buckets' ? 'too_many_buckets' : 'too_many_groups',
        error.message,
        error.position ?? 0,
      );
  }
  const revived = new Error(error.message) as Error & { code?: string };
  revived.name = error.name;
  if (error.code !== undefined) revived.code = error.code;
  return revived;
}
