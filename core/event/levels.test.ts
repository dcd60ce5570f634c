import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { levelFromText, parseLevel } from './levels.ts';
import { LEVELS } from './types.ts';

describe('levelFromText', () => {
  it('keeps canonical names and folds case and surrounding space', () => {
    for (const level of LEVELS) assert.equal(levelFromText(` ${level.toUpperCase()} `), level);
  });

  it('maps common spellings', () => {
    const cases: Record<string, string> = {
      warning: 'warn',
      err: 'error',
      eror: 'error',
      severe: 'error',
      crit: 'fatal',
      critical: 'fatal',
      emerg: 'fatal',
      c: 'fatal',
      notice: 'info',
      n: 'info',
      informational: 'info',
      dbg: 'debug',
      config: 'debug',
      verbose: 'trace',
      W: 'warn',
    };
    for (const [input, level] of Object.entries(cases)) assert.equal(levelFromText(input), level, input);
  });

  it('reads numeric strings as pino, then syslog, then OpenTelemetry numbers', () => {
    assert.equal(levelFromText('30'), 'info');
    assert.equal(levelFromText('3'), 'error');
    assert.equal(levelFromText('17'), 'error');
    assert.equal(parseLevel(50), 'error');
  });

  it('returns null for unknown spellings, including inherited property names', () => {
    for (const input of ['loud', '', 'constructor', '__proto__', '123']) {
      assert.equal(levelFromText(input), null, input);
    }
  });
});
