import type { LogEvent } from '../event/types.ts';
import { levelRank } from '../event/types.ts';
import { timestampMs } from '../time/timestamp.ts';
import type { AttrNode, Comparison, KeywordNode, QueryNode, TextNode } from './ast.ts';
import { isSearchableToken, tokenize } from './tokenize.ts';
import { attrText, readAttr } from './values.ts';

/**
 * The reference semantics of the query language: written to be obviously right, not fast.
 * Every store compiler (SQLite, OpenSearch, archive scans) is property-tested against it;
 * compileToPredicate (predicate.ts) is the fast equivalent for hot paths.
 */
export function evaluate(node: QueryNode, event: LogEvent): boolean {
  switch (node.type) {
    case 'and':
      return node.children.every((child) => evaluate(child, event));
    case 'or':
      return node.children.some((child) => evaluate(child, event));
    case 'not':
      return !evaluate(node.child, event);
    case 'all':
      return true;
    case 'text':
      return matchText(node, tokenize(event.message));
    case 'keyword':
      return matchKeyword(node, event[node.field]);
    case 'attr':
      return matchAttr(node, event.attrs);
    case 'level': {
      const rank = levelRank(event.level);
      return rank >= 0 && compare(node.op, rank, levelRank(node.level));
    }
    case 'ts': {
      const ms = eventMs(event);
      return ms !== undefined && compare(node.op, ms, node.ms);
    }
  }
}

/** The tokens must appear consecutively; with `prefix`, the last only has to start with its text. */
export function matchText(node: TextNode, messageTokens: readonly string[]): boolean {
  const want = node.tokens;
  // Message tokens are never empty nor hold separators, so such query tokens (only possible in
  // hand-built ASTs) match nothing, even as a prefix.
  if (want.length === 0 || !want.every(isSearchableToken)) return false;
  const last = want.length - 1;
  for (let at = 0; at + last < messageTokens.length; at++) {
    let ok = true;
    for (let k = 0; k < last && ok; k++) ok = messageTokens[at + k] === want[k];
    if (!ok) continue;
    const tail = messageTokens[at + last];
    if (node.prefix ? tail.startsWith(want[last]) : tail === want[last]) return true;
  }
  return false;
}

function matchKeyword(node: KeywordNode, value: unknown): boolean {
  // Optional fields are absent when unknown; anything but a string counts as absent too.
  if (typeof value !== 'string') return false;
  if (node.op === 'exists') return true;
  return node.op === 'prefix' ? value.startsWith(node.value) : value === node.value;
}

export function matchAttr(node: AttrNode, attrs: LogEvent['attrs']): boolean {
  const value = readAttr(attrs, node.name);
  if (value === undefined) return false;
  switch (node.op) {
    case 'exists':
      return true;
    case 'prefix':
      return attrText(value).startsWith(node.value);
    case 'eq':
      // Numbers compare as numbers, and only with a numeric query value; strings and booleans
      // compare as exact text, so "504" (a string attribute) matches :504 but not :504.0.
      if (typeof value === 'number') return node.number !== null && value === node.number;
      return attrText(value) === node.value;
    default:
      // Comparisons are numeric only: a string attribute, even "504", never matches `>=500`.
      return typeof value === 'number' && compare(node.op, value, node.number as number);
  }
}

export function compare(op: 'eq' | Comparison, left: number, right: number): boolean {
  switch (op) {
    case 'eq':
      return left === right;
    case 'gt':
      return left > right;
    case 'gte':
      return left >= right;
    case 'lt':
      return left < right;
    case 'lte':
      return left <= right;
  }
}

/** Event time at millisecond resolution (sub-ms digits are dropped), or undefined when unreadable. */
export function eventMs(event: LogEvent): number | undefined {
  try {
    return timestampMs(event.ts);
  } catch {
    // A malformed ts matches no ts term; validation upstream routes such events to logs.dlq anyway.
    return undefined;
  }
}
