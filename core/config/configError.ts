/** One thing wrong in a config file, with where it is and what to change. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Key path such as `inputs[0].multiline.timeout`, `(top level)`, or empty for YAML syntax errors. */
  path: string;
  message: string;
}

export type ConfigErrorCode = 'config_invalid' | 'config_not_found' | 'config_unreadable';

/**
 * Stops start-up with one readable block listing every problem found, so a user fixes a file in one
 * pass instead of one restart per mistake.
 */
export class ConfigError extends Error {
  readonly code: ConfigErrorCode;
  readonly file: string;
  readonly problems: readonly ConfigProblem[];
  constructor(code: ConfigErrorCode, file: string, message: string, problems: ConfigProblem[] = []) {
    super(message);
    this.name = 'ConfigError';
    this.code = code;
    this.file = file;
    this.problems = problems;
  }

  static invalid(file: string, problems: ConfigProblem[]): ConfigError {
    const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
    return new ConfigError('config_invalid', file, renderProblems(file, sorted), sorted);
  }
}

export function renderProblems(file: string, problems: readonly ConfigProblem[]): string {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map(
    (p) => `  ${p.file}:${p.line}:${p.column} ${p.path ? `${p.path}: ` : ''}${p.message}`,
  );
  return [
    `${file} has ${count}; fix ${problems.length === 1 ? 'it' : 'them'} and start again:`,
    ...lines,
  ].join('\n');
}
