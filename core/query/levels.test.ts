import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LEVELS } from '../event/types.ts';
import { normalizeLevel } from './levels.ts';

describe('normalizeLevel', () => {
  it('keeps canonical names and folds case and surrounding space', () => {
    for (const level of LEVELS) assert.equal(normalizeLevel(` ${level.toUpperCase()} `), level);
  });

  it('maps common spellings', () => {
    const cases: Record<string, string> = {
      warning: 'warn',
      err: 'error',
      severe: 'error',
      crit: 'fatal',
      critical: 'fatal',
      emerg: 'fatal',
      notice: 'info',
      informational: 'info',
      dbg: 'debug',
      verbose: 'trace',
      W: 'warn',
    };
    for (const [input, level] of Object.entries(cases)) assert.equal(normalizeLevel(input), level, input);
  });

  it('returns undefined for unknown spellings, including inherited property names', () => {
    for (const input of ['loud', '', 'constructor', '__proto__'])
      assert.equal(normalizeLevel(input), undefined, input);
  });
});
