import type { Level, ReservedField } from '../event/types.ts';

/**
 * The query AST (docs/query-language.md). The parser produces it, `formatQuery` prints it back,
 * `evaluate` defines what it means, and every store compiles it itself.
 *
 * Every node carries `start`/`end`: 0-based offsets into the query text, end exclusive (UTF-16
 * code units). Nodes built by code rather than parsed may carry 0/0.
 */
export interface Span {
  start: number;
  end: number;
}

export type Comparison = 'gt' | 'gte' | 'lt' | 'lte';

/** Both operands of a boolean node are kept as written: `(a b) c` stays nested, `a b c` is flat. */
export interface AndNode extends Span {
  type: 'and';
  children: QueryNode[];
}

export interface OrNode extends Span {
  type: 'or';
  children: QueryNode[];
}

export interface NotNode extends Span {
  type: 'not';
  child: QueryNode;
}

/** `*`, an empty query, or an always-true term such as `service:*`. */
export interface AllNode extends Span {
  type: 'all';
}

/**
 * Full text on `message`: the tokens must occur consecutively in the message's tokens; with `prefix`
 * the last one only has to start with the given text. One token is a word, several a phrase.
 * Tokens are already folded (see tokenize.ts) and never empty.
 */
export interface TextNode extends Span {
  type: 'text';
  tokens: string[];
  prefix: boolean;
}

/** Reserved fields holding exact, case-sensitive strings. */
export type KeywordField = Exclude<ReservedField, 'ts' | 'level' | 'message'>;

/** `service:checkout`, `host:node-*`, `trace_id:*` (present). */
export interface KeywordNode extends Span {
  type: 'keyword';
  field: KeywordField;
  op: 'eq' | 'prefix' | 'exists';
  /** Exact value or prefix as written (unquoted); '' for exists. */
  value: string;
}

/** `http.status:504`, `attrs.order.id:A-1*`, `latency>=250`, `user:*`. */
export interface AttrNode extends Span {
  type: 'attr';
  /** Attribute name without any `attrs.` prefix. */
  name: string;
  op: 'eq' | 'prefix' | 'exists' | Comparison;
  /** Value as written (unquoted); '' for exists. */
  value: string;
  /** `value` as a number when it is a plain decimal (values.ts), else null; never null for comparisons. */
  number: number | null;
}

/** `level:warn`, `level>=error`. */
export interface LevelNode extends Span {
  type: 'level';
  op: 'eq' | Comparison;
  level: Level;
}

/** `ts>=now-15m`, `ts<2026-11-23T12:00:00Z`, `ts:…` (same millisecond). */
export interface TimeNode extends Span {
  type: 'ts';
  op: 'eq' | Comparison;
  /** Resolved at parse time (relative times against the parse's `nowMs`), ms since the epoch. */
  ms: number;
  /** As written, so the query prints back the way the user wrote it. */
  value: string;
}

export type QueryNode =
  | AndNode
  | OrNode
  | NotNode
  | AllNode
  | TextNode
  | KeywordNode
  | AttrNode
  | LevelNode
  | TimeNode;
export type LeafNode = AllNode | TextNode | KeywordNode | AttrNode | LevelNode | TimeNode;

/** The same tree with every span zeroed: two queries mean the same thing iff these are deep-equal. */
export function stripSpans(node: QueryNode): QueryNode {
  switch (node.type) {
    case 'and':
    case 'or':
      return { ...node, start: 0, end: 0, children: node.children.map(stripSpans) };
    case 'not':
      return { ...node, start: 0, end: 0, child: stripSpans(node.child) };
    default:
      return { ...node, start: 0, end: 0 };
  }
}

/** Number of leaf terms, the measure the parser's `maxTerms` limit counts. */
export function countTerms(node: QueryNode): number {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.children.reduce((sum, child) => sum + countTerms(child), 0);
    case 'not':
      return countTerms(node.child);
    default:
      return 1;
  }
}
