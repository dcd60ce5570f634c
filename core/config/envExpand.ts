// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
/** The environment variables a config may read. */
export type Env = Readonly<Record<string, string | undefined>>;

/** Thrown by expandEnv; `problems` lists every bad reference in the text, each telling the user what to do. */
export class EnvError extends Error {
  readonly code = 'env_invalid';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(problems.join('; '));
    this.name = 'EnvError';
    this.problems = problems;
  }
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Expands `${VAR}` and `${VAR:-default}` from `env`; `$$` is a literal `$`, and a `$` followed by anything
 * else stays as written (so regular expressions like `^a$` need no escaping). As in POSIX shells, the
 * default applies when the variable is unset or empty. Defaults are literal text: no nesting.
 * Throws EnvError naming every variable that is unset without a default and every malformed reference.
 */
export function expandEnv(text: string, env: Env): string {
  if (!text.includes('$')) return text;
  const problems: string[] = [];
  let out = '';
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf('$', i);
    if (dollar < 0) break;
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = text.indexOf('}', dollar + 2);
      if (close < 0) {
        problems.push('"${" is not closed: write ${NAME} or ${NAME:-default}, or "$$" for a literal "$"');
        i = text.length;
        out += text.slice(dollar);
        break;
      }
      out += resolve(text.slice(dollar + 2, close), env, problems);
      i = close + 1;
    } else {
      out += '$';
      i = dollar + 1;
    }
  }
  out += text.slice(i);
  if (problems.length > 0) throw new EnvError(problems);
  return out;
}

function resolve(reference: string, env: Env, problems: string[]): string {
  const split = reference.indexOf(':-');
  const name = split < 0 ? reference : reference.slice(0, split);
  if (!NAME.test(name)) {
    problems.push(
      `"\${${reference}}" is not a variable reference: names are letters, digits and "_" (write "$$" for a literal "$")`,
    );
    return '';
  }
  const value = env[name];
  if (split >= 0) return value === undefined || value === '' ? reference.slice(split + 2) : value;
  if (value === undefined) {
    problems.push(
      `environment variable ${name} is not set: set it, or give a default with \${${name}:-value}`,
    );
    return '';
  }
  return value;
}
