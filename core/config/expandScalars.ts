import {
  type Document,
  isPair,
  isScalar,
  isSeq,
  type LineCounter,
  type Scalar,
  type ScalarTag,
  visit,
} from 'yaml';
import { type Env, EnvError, expandEnv } from './envExpand.ts';
import type { PathKey, Position } from './locate.ts';

export interface EnvProblem extends Position {
  path: PathKey[];
  message: string;
}

/**
 * Expands environment references in the string values of a parsed document, in place.
 *
 * Expansion happens after parsing, on scalar values only, so an environment value can never add keys,
 * lists or documents: `${X}` with X="{a: 1}" stays the text "{a: 1}". A plain (unquoted) scalar is then
 * read again as a YAML scalar would be, so `port: ${PORT}` with PORT=8080 gives the number 8080, as if it
 * had been written there; quote it (`"${PORT}"`) to keep text. An empty result stays an empty string.
 * Keys are never expanded. Positions stay those of the file because nothing is re-parsed.
 */
export function expandScalars(doc: Document, env: Env, lineCounter: LineCounter): EnvProblem[] {
  const problems: EnvProblem[] = [];
  const scalarTags = doc.schema.tags.filter(
    (tag): tag is ScalarTag => 'test' in tag && tag.test !== undefined,
  );
  visit(doc, {
    Scalar(key, node, ancestors) {
      if (key === 'key' || typeof node.value !== 'string' || !node.value.includes('$')) return;
      try {
        const expanded = expandEnv(node.value, env);
        node.value = node.type === 'PLAIN' && !node.tag ? retype(expanded, scalarTags) : expanded;
      } catch (error) {
        if (!(error instanceof EnvError)) throw error;
        const { line, col } = lineCounter.linePos(node.range?.[0] ?? 0);
        const path = keyPath([...ancestors, node]);
        for (const message of error.problems) problems.push({ line, column: col, path, message });
      }
    },
  });
  return problems;
}

function retype(text: string, tags: ScalarTag[]): Scalar['value'] {
  if (text === '') return text;
  const tag = tags.find((candidate) => candidate.test?.test(text));
  if (!tag) return text;
  // The tag's test already matched, so resolve has nothing to report.
  const ignore = () => undefined;
  return tag.resolve(text, ignore, {}) as Scalar['value'];
}

/** The key path of the last node from its ancestors as `visit` gives them (document, maps, pairs, lists). */
function keyPath(chain: readonly unknown[]): PathKey[] {
  const path: PathKey[] = [];
  chain.forEach((node, i) => {
    if (isPair(node) && isScalar(node.key)) path.push(String(node.key.value));
    if (isSeq(node)) path.push(node.items.indexOf(chain[i + 1] as never));
  });
  return path;
}
