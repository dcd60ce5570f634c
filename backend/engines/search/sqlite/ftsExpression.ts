import type { QueryNode } from '../../../../core/query/index.ts';
import { isSearchableToken } from '../../../../core/query/tokenize.ts';
import { fts5Query } from './compileSqlite.ts';

/**
 * The FTS5 query selecting exactly what `node` selects, when `node` is made only of text terms
 * joined by AND and OR (NOT only beside a positive term); otherwise null. Counting such a query on
 * `events_fts` alone never reads an `events` row, which is what makes large totals cheap.
 *
 * Tokens are quoted by fts5Query, so user text never becomes FTS5 syntax here either; terms that
 * can never match (compileSqlite's `0`) give null, leaving them to the general statement.
 */
export function ftsExpression(node: QueryNode): string | null {
  switch (node.type) {
    case 'text':
      if (node.tokens.length === 0 || !node.tokens.every(isSearchableToken)) return null;
      return fts5Query(node.tokens, node.prefix);
    case 'or': {
      const parts = node.children.map(ftsExpression);
      return parts.every((part) => part !== null) ? parts.map((part) => `(${part})`).join(' OR ') : null;
    }
    case 'and': {
      const positive: string[] = [];
      const negative: string[] = [];
      for (const child of node.children) {
        const part = ftsExpression(child.type === 'not' ? child.child : child);
        if (part === null) return null;
        (child.type === 'not' ? negative : positive).push(`(${part})`);
      }
      // FTS5's NOT is binary ("a NOT b"): a conjunction of negations alone has no FTS5 form.
      if (positive.length === 0) return null;
      return negative.reduce((expression, part) => `(${expression}) NOT ${part}`, positive.join(' AND '));
    }
    default:
      return null;
  }
}
