import { type Document, LineCounter, parseDocument } from 'yaml';
import { ConfigError, type ConfigProblem } from './configError.ts';
import type { Env } from './envExpand.ts';
import { expandScalars } from './expandScalars.ts';
import { renderPath } from './locate.ts';

export interface YamlSource {
  doc: Document;
  lineCounter: LineCounter;
  /** The document as plain data, environment expanded, empty values removed. */
  input: unknown;
}

/**
 * Parses config YAML keeping every node's position, and expands environment references. Throws
 * ConfigError for syntax errors and for unset variables, each kind on its own: after a syntax error
 * the structure cannot be trusted, and after an unset variable its key would only report a second,
 * less useful problem.
 */
export function readYaml(text: string, fileName: string, env: Env): YamlSource {
  const lineCounter = new LineCounter();
  // prettyErrors off: ConfigError renders positions as file:line:column. Merge keys (`<<: *defaults`)
  // are allowed so repeated inputs can share settings.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, merge: true });
  const syntax = [...doc.errors, ...doc.warnings].map((error): ConfigProblem => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { file: fileName, line, column: col, path: '', message: `YAML syntax: ${error.message}` };
  });
  if (syntax.length > 0) throw ConfigError.invalid(fileName, syntax);

  const unset = expandScalars(doc, env, lineCounter).map(
    (problem): ConfigProblem => ({ file: fileName, ...problem, path: renderPath(problem.path) }),
  );
  if (unset.length > 0) throw ConfigError.invalid(fileName, unset);

  try {
    return { doc, lineCounter, input: withoutEmptyValues(doc.toJS()) ?? {} };
  } catch (error) {
    // toJS refuses alias bombs (too many alias expansions); its message says which limit was hit.
    const problem = { file: fileName, line: 1, column: 1, path: '', message: (error as Error).message };
    throw ConfigError.invalid(fileName, [problem]);
  }
}

/**
 * `key:` with nothing after it (or `~`, `null`) means "not set": the key takes its default. People leave
 * a section empty when they comment out its last key, and that should not stop start-up.
 */
function withoutEmptyValues(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutEmptyValues);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (item !== null) out[key] = withoutEmptyValues(item);
  }
  return out;
}
