import { levelRank } from '../../../../core/event/types.ts';
import type { AttrNode, Comparison, KeywordNode, QueryNode, TextNode } from '../../../../core/query/ast.ts';
import { isSearchableToken } from '../../../../core/query/tokenize.ts';

/**
 * Compiles a query AST to a WHERE fragment over the `events` table of SQLITE_EVENTS_SCHEMA
 * (sqliteSchema.ts), with every user value bound as a parameter. Use it in a statement whose FROM is
 * `events` unaliased: the fragment names the columns unqualified.
 *
 * Guarantees, each kept below where it is needed:
 * - user text never becomes SQL or FTS5 syntax: values are parameters, and the FTS5 MATCH string
 *   is built here from tokens, each double-quoted (no operators, column filters, NEAR or `^`);
 * - every leaf is two-valued (0 or 1, never NULL), so NOT means "does not match", and a negated
 *   term matches events where the field is missing, exactly as `evaluate` says.
 */
export interface SqliteWhere {
  where: string;
  params: Array<string | number>;
}

const SQL_COMPARISON: Readonly<Record<'eq' | Comparison, string>> = {
  eq: '=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};
/** Reserved columns declared NOT NULL, which need no NULL guard. */
const NOT_NULL_COLUMNS: ReadonlySet<string> = new Set(['id', 'service', 'tenant']);
/** json_type() of the values a query sees; 'null', 'array' and 'object' count as missing. */
const SCALAR_TYPES = "('text','integer','real','true','false')";

export function compileSqlite(node: QueryNode): SqliteWhere {
  const params: Array<string | number> = [];
  const where = compileNode(node, params);
  return { where, params };
}

function compileNode(node: QueryNode, params: Array<string | number>): string {
  switch (node.type) {
    case 'and':
      return `(${node.children.map((child) => compileNode(child, params)).join(' AND ')})`;
    case 'or':
      return `(${node.children.map((child) => compileNode(child, params)).join(' OR ')})`;
    case 'not':
      return `NOT ${compileNode(node.child, params)}`;
    case 'all':
      return '1';
    case 'text':
      return compileText(node, params);
    case 'keyword':
      return compileKeyword(node, params);
    case 'attr':
      return compileAttr(node, params);
    case 'level':
      params.push(levelRank(node.level));
      return `(level ${SQL_COMPARISON[node.op]} ?)`;
    case 'ts':
      params.push(node.ms);
      return `(ts ${SQL_COMPARISON[node.op]} ?)`;
  }
}

/**
 * The FTS5 query for a text term: tokens double-quoted (quotes doubled, though tokens never hold
 * any), joined with `+` into a phrase, the last followed by ` *` for a prefix.
 */
export function fts5Query(tokens: readonly string[], prefix: boolean): string {
  const last = tokens.length - 1;
  return tokens
    .map((token, i) => `"${token.replaceAll('"', '""')}"${prefix && i === last ? ' *' : ''}`)
    .join(' + ');
}

function compileText(node: TextNode, params: Array<string | number>): string {
  // Tokens the message tokenizer can never produce match nothing (as in evaluate) and must not
  // reach FTS5, whose ascii tokenizer would split or fold them into something that matches.
  if (node.tokens.length === 0 || !node.tokens.every(isSearchableToken)) return '0';
  params.push(fts5Query(node.tokens, node.prefix));
  return '(rowid IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?))';
}

function compileKeyword(node: KeywordNode, params: Array<string | number>): string {
  const column = node.field;
  if (node.op === 'exists') return `(${column} IS NOT NULL)`;
  if (node.op === 'prefix') {
    // substr counts characters (code points), the unit [...value].length counts; LIKE and GLOB
    // would need escaping and LIKE ignores ASCII case.
    params.push([...node.value].length, node.value);
    return `coalesce(substr(${column}, 1, ?) = ?, 0)`;
  }
  params.push(node.value);
  // IS never yields NULL, and still uses an index.
  return NOT_NULL_COLUMNS.has(column) ? `(${column} = ?)` : `(${column} IS ?)`;
}

/**
 * JSON path of an attribute, quoted so dots stay inside the key: `http.status` → `$."http.status"`.
 * It is a bound parameter, never SQL text; `"` and `\` are backslash-escaped for SQLite's path syntax.
 */
export function attrJsonPath(name: string): string {
  return `$."${name.replace(/["\\]/g, '\\$&')}"`;
}

function compileAttr(node: AttrNode, params: Array<string | number>): string {
  const path = attrJsonPath(node.name);
  switch (node.op) {
    case 'exists':
      params.push(path);
      return `coalesce(json_type(attrs, ?) IN ${SCALAR_TYPES}, 0)`;
    case 'prefix':
      // A number's text is its JSON text (attrs -> path), the shortest round-trip form JSON.stringify
      // wrote, which is what evaluate's String(number) gives.
      params.push(path, path, path, path, [...node.value].length, node.value);
      return (
        "coalesce(substr(CASE json_type(attrs, ?) WHEN 'text' THEN json_extract(attrs, ?) " +
        "WHEN 'integer' THEN attrs -> ? WHEN 'real' THEN attrs -> ? " +
        "WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' END, 1, ?) = ?, 0)"
      );
    case 'eq':
      return compileAttrEquals(node, path, params);
    default:
      params.push(path, path, node.number as number);
      return `coalesce(json_type(attrs, ?) IN ('integer','real') AND json_extract(attrs, ?) ${SQL_COMPARISON[node.op]} ?, 0)`;
  }
}

function compileAttrEquals(node: AttrNode, path: string, params: Array<string | number>): string {
  const alternatives: string[] = [];
  if (node.number !== null) {
    params.push(path, path, node.number);
    alternatives.push("(json_type(attrs, ?) IN ('integer','real') AND json_extract(attrs, ?) = ?)");
  }
  if (node.value === 'true' || node.value === 'false') {
    params.push(path, node.value);
    alternatives.push('(json_type(attrs, ?) = ?)');
  }
  params.push(path, path, node.value);
  alternatives.push("(json_type(attrs, ?) = 'text' AND json_extract(attrs, ?) = ?)");
  return `coalesce(${alternatives.join(' OR ')}, 0)`;
}
