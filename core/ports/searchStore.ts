import type { LogEvent } from '../event/types.ts';
import type { AggregatePartial, AggregatePlan } from '../query/aggregate/ast.ts';

/**
 * SearchStore port: full-text and field search over events (OpenSearch, or SQLite FTS5 in standalone).
 * `index` is idempotent by event id: indexing the same event twice leaves one document.
 * Queries arrive as the AST of the query language (core/query) and each adapter compiles it itself;
 * user text is never pasted into a store's own query syntax.
 */

/** Which tenants a retention drop touches: one tenant, all but some, or (neither) all. */
export interface RetentionScope {
  tenant?: string;
  exceptTenants?: string[];
  dryRun?: boolean;
}

export interface TimeRange {
  /** Inclusive lower bound, ms since the epoch. */
  from: number;
  /** Exclusive upper bound, ms since the epoch. */
  to: number;
}

export interface SearchRequest {
  tenant: string | null; // null: every tenant (admin keys only)
  /** Restricts to these services when the key is scoped; undefined: no restriction. */
  services?: string[];
  /** The parsed query (core/query AST); undefined matches everything. */
  query?: unknown;
  range: TimeRange;
  limit: number;
  order: 'asc' | 'desc';
  /** Opaque position after which to continue, from a previous page's nextCursor. */
  after?: SearchCursor;
  /** Count exactly up to this many hits, then report a lower bound. */
  totalBound?: number;
  /** Aborts when the caller has given up (timeout, client gone): a store may drop or stop the work. */
  signal?: AbortSignal;
}

/** Sort position of the last hit of a page: (ts, id) is unique and stable under concurrent ingest. */
export interface SearchCursor {
  ts: string;
  id: string;
}

/** An aggregation over the events a filter matches (core/query/aggregate; docs/query-language.md). */
export interface AggregateRequest {
  tenant: string | null;
  services?: string[];
  /** The filter before the pipe (core/query AST); undefined matches everything. */
  query?: unknown;
  range: TimeRange;
  plan: AggregatePlan;
  signal?: AbortSignal;
}

export interface SearchPage {
  hits: LogEvent[];
  total: { value: number; relation: 'eq' | 'gte' };
  next: SearchCursor | null;
}

export interface IndexResult {
  indexed: number;
  /** Events the store refused (e.g. mapping errors); the caller routes them to logs.dlq. */
  rejected: Array<{ event: LogEvent; reason: string }>;
}

export interface SearchStore {
  /** Creates templates, tables or indices as needed (idempotent). */
  init(): Promise<void>;
  /**
   * `sources[i]`, when given, is `events[i]`'s JSON exactly as it arrived (the value of a record Sluice
   * wrote): a store that keeps the event's JSON may keep those bytes instead of serializing it again.
   */
  index(events: LogEvent[], sources?: ReadonlyArray<Uint8Array | undefined>): Promise<IndexResult>;
  search(request: SearchRequest): Promise<SearchPage>;
  /**
   * The plan's partial state over the matching events in the range, computed by the engine itself
   * (never by fetching the events), agreeing with core/query/aggregate's reference by property test.
   * Throws AggregateTooLargeError when the groups exceed `plan.maxGroups`.
   */
  aggregate(request: AggregateRequest): Promise<AggregatePartial>;
  /** Every event of one correlation ID, ascending by ts. */
  trace(
    tenant: string | null,
    correlationId: string,
    range: TimeRange,
    limit: number,
    services?: string[],
  ): Promise<LogEvent[]>;
  /**
   * Drops whole days (indices or tables) entirely older than `time`; returns what it dropped (or would,
   * with dryRun). `tenant` limits it to one tenant; `exceptTenants` spares tenants with their own period.
   */
  dropBefore(time: number, options?: RetentionScope): Promise<string[]>;
  close(): Promise<void>;
}
