import type * as v from 'valibot';
import type { Document, LineCounter } from 'yaml';
import type { ConfigProblem } from './configError.ts';
import { describeValue } from './describeValue.ts';
import { locate, type PathKey, renderPath } from './locate.ts';
import { asNode, objectSchemaAt } from './schemaNode.ts';
import { closestKey } from './suggest.ts';

interface Source {
  file: string;
  doc: Document;
  lineCounter: LineCounter;
  schema: v.GenericSchema;
  input: unknown;
}

/** Turns valibot issues into problems that name file:line:column, the key path, and what to change. */
export function issueProblems(issues: readonly v.BaseIssue<unknown>[], source: Source): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    const path = (issue.path ?? []).map((item) => item.key as PathKey);
    const isKeyIssue = issue.path?.at(-1)?.origin === 'key';
    const parent = isKeyIssue ? valueAt(source.input, path.slice(0, -1)) : undefined;
    if (Array.isArray(parent)) {
      // Valibot's objects accept arrays and then report their indexes as unknown keys.
      add(
        problems,
        seen,
        source,
        path.slice(0, -1),
        `expected a mapping (key: value), found ${describeValue(parent)}`,
      );
    } else if (isKeyIssue && issue.expected === 'never') {
      // Valibot reports one unknown key per mapping; list them all from the mapping itself.
      for (const key of unknownKeys(source, path.slice(0, -1))) {
        add(problems, seen, source, [...path.slice(0, -1), key.key], key.message, 'key');
      }
    } else if (isKeyIssue && issue.input === undefined) {
      // Points at the mapping's own key, where the missing key belongs.
      const message = source.doc.hasIn(path) ? 'required key has no value' : 'required key is missing';
      add(problems, seen, source, path, message, 'key');
    } else {
      // A bad key of a map (`tenants: { Acme: … }`) is reported with the key as what was found.
      const value = isKeyIssue ? issue.input : valueAt(source.input, path, issue.input);
      add(problems, seen, source, path, withFound(issue, value));
    }
  }
  return problems;
}

function add(
  problems: ConfigProblem[],
  seen: Set<string>,
  source: Source,
  path: PathKey[],
  message: string,
  at: 'key' | 'value' = 'value',
): void {
  const rendered = renderPath(path);
  // One problem per key: a value failing several checks (`0.5` is neither whole nor >= 1) needs one fix.
  if (seen.has(rendered)) return;
  seen.add(rendered);
  const { line, column } = locate(source.doc, source.lineCounter, path, at);
  problems.push({ file: source.file, line, column, path: rendered, message });
}

function unknownKeys(source: Source, parentPath: PathKey[]): Array<{ key: string; message: string }> {
  const object = objectSchemaAt(asNode(source.schema), parentPath, source.input);
  const valid = Object.keys(object?.entries ?? {});
  const value = valueAt(source.input, parentPath);
  const keys = Object.keys((value ?? {}) as object).filter((key) => !valid.includes(key));
  return keys.map((key) => {
    const suggestion = closestKey(key, valid);
    const message = suggestion
      ? `unknown key "${key}" — did you mean "${suggestion}"?`
      : `unknown key "${key}"; valid keys here: ${valid.join(', ') || '(none)'}`;
    return { key, message };
  });
}

function withFound(issue: v.BaseIssue<unknown>, value: unknown): string {
  // Messages that already quote the input (units do) are complete.
  if (/\bfound\b/.test(issue.message)) return issue.message;
  // "found a list of 3" adds nothing to a check on a whole list or mapping (`each rule needs its own name`).
  if (issue.kind === 'validation' && typeof value === 'object' && value !== null) return issue.message;
  const quoteHint =
    issue.expected === 'string' && (typeof value === 'number' || typeof value === 'boolean')
      ? ' (put it in quotes to keep it as text)'
      : '';
  return `${issue.message}, found ${describeValue(value)}${quoteHint}`;
}

/**
 * What the user wrote at `path`: not the transformed value (`2m`, not 120000), and for a check forwarded
 * to a key (v.forward) the key's value rather than the whole object valibot gives as the issue's input.
 */
function valueAt(input: unknown, path: readonly PathKey[], atRoot: unknown = input): unknown {
  if (path.length === 0) return atRoot;
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PathKey, unknown>)[key];
  }
  return value;
}
