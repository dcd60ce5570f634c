import type { LogEvent } from '../event/types.ts';
import { levelRank } from '../event/types.ts';
import type { QueryNode, TextNode } from './ast.ts';
import { compare, eventMs, matchAttr } from './evaluate.ts';
import { foldCase, isSearchableToken } from './tokenize.ts';

/** What one call computes at most once, however many terms need it. */
interface EventScope {
  event: LogEvent;
  folded: string | undefined;
  ms: number | undefined;
  msDone: boolean;
}

type Compiled = (scope: EventScope) => boolean;

/** Relative cost of evaluating a node, so AND/OR try cheap field checks before text scans. */
function cost(node: QueryNode): number {
  switch (node.type) {
    case 'and':
    case 'or':
      return node.children.reduce((sum, child) => sum + cost(child), 0);
    case 'not':
      return cost(node.child);
    case 'text':
      return 8;
    case 'ts':
      return 4;
    default:
      return 1;
  }
}

/**
 * The fast form of `evaluate` for hot paths (processor filter/sample rules, archive scans):
 * regexes and ranks are built once, the folded message and the event time are computed once per
 * event, and cheap terms run first. Same results as `evaluate` for every event (property-tested).
 * The returned function is not re-entrant; make one per concurrent user.
 */
export function compileToPredicate(node: QueryNode): (event: LogEvent) => boolean {
  const compiled = compileNode(node);
  const scope: EventScope = {
    event: undefined as unknown as LogEvent,
    folded: undefined,
    ms: undefined,
    msDone: false,
  };
  return (event) => {
    scope.event = event;
    scope.folded = undefined;
    scope.msDone = false;
    return compiled(scope);
  };
}

function compileNode(node: QueryNode): Compiled {
  switch (node.type) {
    case 'and': {
      const children = byCost(node.children);
      return (scope) => {
        for (const child of children) if (!child(scope)) return false;
        return true;
      };
    }
    case 'or': {
      const children = byCost(node.children);
      return (scope) => {
        for (const child of children) if (child(scope)) return true;
        return false;
      };
    }
    case 'not': {
      const child = compileNode(node.child);
      return (scope) => !child(scope);
    }
    case 'all':
      return () => true;
    case 'text':
      return compileText(node);
    case 'keyword': {
      const { field, op, value } = node;
      if (op === 'exists') return (scope) => typeof scope.event[field] === 'string';
      if (op === 'prefix') {
        return (scope) => {
          const actual = scope.event[field];
          return typeof actual === 'string' && actual.startsWith(value);
        };
      }
      return (scope) => scope.event[field] === value;
    }
    case 'attr':
      return (scope) => matchAttr(node, scope.event.attrs);
    case 'level': {
      const { op } = node;
      const want = levelRank(node.level);
      return (scope) => {
        const rank = levelRank(scope.event.level);
        return rank >= 0 && compare(op, rank, want);
      };
    }
    case 'ts': {
      const { op, ms } = node;
      return (scope) => {
        if (!scope.msDone) {
          scope.ms = eventMs(scope.event);
          scope.msDone = true;
        }
        return scope.ms !== undefined && compare(op, scope.ms, ms);
      };
    }
  }
}

function byCost(children: QueryNode[]): Compiled[] {
  return [...children].sort((a, b) => cost(a) - cost(b)).map(compileNode);
}

const TOKEN_CHAR = '[\\p{L}\\p{N}]';
const SEPARATORS = '[^\\p{L}\\p{N}]+';

/**
 * One regex over the folded message instead of tokenizing it: a token starts where no letter or
 * digit precedes and ends where none follows, and consecutive tokens have only separators between
 * them. This equals token-by-token comparison because foldCase maps each code point to exactly one
 * code point of the same letter/digit class (tokenize.test.ts checks every code point).
 * Query tokens hold only letters and digits, which are never regex syntax.
 */
function compileText(node: TextNode): Compiled {
  if (node.tokens.length === 0 || !node.tokens.every(isSearchableToken)) return () => false;
  const pattern = new RegExp(
    `(?<!${TOKEN_CHAR})${node.tokens.join(SEPARATORS)}${node.prefix ? '' : `(?!${TOKEN_CHAR})`}`,
    'u',
  );
  return (scope) => {
    if (scope.folded === undefined) scope.folded = foldCase(scope.event.message);
    return pattern.test(scope.folded);
  };
}
