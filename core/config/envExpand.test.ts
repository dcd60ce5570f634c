// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnvError, expandEnv } from './envExpand.ts';

describe('expandEnv', () => {
  const env = { HOST: 'logs.example.com', EMPTY: '', PORT: '8080' };

  it('replaces ${VAR} with its value, anywhere in the text', () => {
    assert.equal(expandEnv('https://${HOST}:${PORT}/x', env), 'https://logs.example.com:8080/x');
  });

  it('uses the default of ${VAR:-default} when the variable is unset or empty', () => {
    assert.equal(expandEnv('${MISSING:-info}', env), 'info');
    assert.equal(expandEnv('${EMPTY:-fallback}', env), 'fallback');
    assert.equal(expandEnv('${HOST:-other}', env), 'logs.example.com');
    assert.equal(expandEnv('${MISSING:-}', env), '');
  });

  it('keeps an empty value of a set variable', () => {
    assert.equal(expandEnv('[${EMPTY}]', env), '[]');
  });

  it('reads $$ as a literal $ and leaves other $ alone', () => {
    assert.equal(expandEnv('cost $$5 and $${HOST}', env), 'cost $5 and ${HOST}');
    assert.equal(expandEnv('^a$|b$', env), '^a$|b$');
  });

  it('does not expand references inside values', () => {
    assert.equal(expandEnv('${X}', { X: '${HOST}', HOST: 'h' }), '${HOST}');
  });

  it('ends a default at the first }', () => {
    assert.equal(expandEnv('${X:-a}b}', {}), 'ab}');
  });

  it('names every unset variable and says how to give a default', () => {
    assert.throws(
      () => expandEnv('${A}/${B:-ok}/${C}', {}),
      (error: unknown) =>
        error instanceof EnvError &&
        error.code === 'env_invalid' &&
        error.problems.length === 2 &&
        error.problems[0] ===
          'environment variable A is not set: set it, or give a default with ${A:-value}' &&
        error.problems[1].startsWith('environment variable C is not set'),
    );
  });

  it('rejects malformed references instead of passing them through', () => {
    assert.throws(() => expandEnv('${1BAD}', {}), /"\$\{1BAD\}" is not a variable reference/);
    assert.throws(() => expandEnv('${OPEN', {}), /"\$\{" is not closed/);
    assert.throws(() => expandEnv('${}', {}), /is not a variable reference/);
  });
});
