import { RESERVED_FIELDS } from '../event/types.ts';
import type { AttrNode, Comparison, QueryNode, TextNode } from './ast.ts';
import { QueryUnprintableError } from './errors.ts';
import { FIELD_NAME } from './lexer.ts';

const OPERATORS: Readonly<Record<'eq' | Comparison, string>> = {
  eq: ':',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

/**
 * Prints an AST as query text that parses back to the same tree (spans aside: see stripSpans).
 * The output is canonical rather than the user's spelling: `-` for NOT, adjacency for AND,
 * parentheses only where the tree needs them, canonical level names, `attrs.` only when needed.
 * Throws QueryUnprintableError for trees the parser could not have produced (e.g. an attribute
 * name with a space, a prefix containing a quote).
 */
export function formatQuery(node: QueryNode): string {
  switch (node.type) {
    case 'and':
      return node.children
        .map((child) => (isGroup(child) ? `(${formatQuery(child)})` : formatQuery(child)))
        .join(' ');
    case 'or':
      return node.children
        .map((child) => (child.type === 'or' ? `(${formatQuery(child)})` : formatQuery(child)))
        .join(' OR ');
    case 'not':
      return isGroup(node.child) ? `-(${formatQuery(node.child)})` : `-${formatQuery(node.child)}`;
    case 'all':
      return '*';
    case 'text':
      return formatText(node);
    case 'keyword':
      return node.op === 'exists'
        ? `${node.field}:*`
        : `${node.field}:${formatValue(node.value, node.op === 'prefix')}`;
    case 'attr':
      return formatAttr(node);
    case 'level':
      return `level${OPERATORS[node.op]}${node.level}`;
    case 'ts':
      return `ts${OPERATORS[node.op]}${formatValue(node.value, false)}`;
  }
}

function isGroup(node: QueryNode): boolean {
  return node.type === 'and' || node.type === 'or';
}

/**
 * Tokens hold only letters and digits, so one token prints as a bare word; several print as a quoted
 * phrase, or hyphen-joined when the last is a prefix (quotes cannot carry a `*`).
 */
function formatText(node: TextNode): string {
  if (node.tokens.length === 0 || node.tokens.some((token) => !/^[\p{L}\p{N}]+$/u.test(token))) {
    throw new QueryUnprintableError('full-text tokens must be non-empty runs of letters or digits');
  }
  if (node.prefix) return `${node.tokens.join('-')}*`;
  return node.tokens.length === 1 ? node.tokens[0] : `"${node.tokens.join(' ')}"`;
}

function formatAttr(node: AttrNode): string {
  const plain = FIELD_NAME.test(node.name);
  const prefixed = FIELD_NAME.test(`attrs.${node.name}`);
  if (!plain && !prefixed)
    throw new QueryUnprintableError(`attribute name '${node.name}' cannot be written in a query`);
  const needsPrefix =
    !plain || (RESERVED_FIELDS as readonly string[]).includes(node.name) || node.name.startsWith('attrs.');
  const name = needsPrefix ? `attrs.${node.name}` : node.name;
  if (node.op === 'exists') return `${name}:*`;
  if (node.op === 'prefix') return `${name}:${formatValue(node.value, true)}`;
  return `${name}${OPERATORS[node.op]}${formatValue(node.value, false)}`;
}

/**
 * A value prints bare when the lexer would read it back unchanged as a plain value: no whitespace,
 * parenthesis, quote or backslash, no `*`, not empty, and not starting with `=` (which would merge
 * into a `>`/`<` operator). Otherwise it is quoted, escaping `"` and `\`.
 */
function formatValue(value: string, prefix: boolean): string {
  const bare = value !== '' && !/[\s()"\\*]/u.test(value) && !value.startsWith('=');
  if (prefix) {
    if (!bare) throw new QueryUnprintableError(`prefix '${value}' cannot be written in a query`);
    return `${value}*`;
  }
  return bare ? value : `"${value.replace(/["\\]/g, '\\$&')}"`;
}
