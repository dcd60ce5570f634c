import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LEVEL_SPELLINGS, levelFromText } from '../event/levels.ts';
import { normalizeRecord } from '../event/normalize.ts';
import type { LevelNode } from './ast.ts';
import { parseQuery } from './parser.ts';

/** What ingest makes of a record's level field. */
function ingestedLevel(value: string): string | null {
  const result = normalizeRecord({ message: 'm', level: value }, { tenant: 't', observedMs: 0 });
  return result.ok ? result.event.level : null;
}

describe('level terms', () => {
  it('finds every level ingest accepts: each spelling, any case, and the numeric strings', () => {
    const numeric = Array.from({ length: 100 }, (_, n) => String(n)).filter((text) => levelFromText(text));
    const accepted = [...LEVEL_SPELLINGS, ...LEVEL_SPELLINGS.map((s) => s.toUpperCase()), ...numeric];
    for (const spelling of accepted) {
      const level = ingestedLevel(spelling);
      assert.ok(level, `ingest accepts level ${spelling}`);
      const { type, op, level: found } = parseQuery(`level:${spelling}`) as LevelNode;
      assert.deepEqual({ type, op, level: found }, { type: 'level', op: 'eq', level }, `level:${spelling}`);
    }
  });

  it('answers an unknown level with the names it knows', () => {
    assert.throws(
      () => parseQuery('level:loud'),
      /unknown level 'loud' at position 6; expected one of trace, debug, info, warn, error, fatal/,
    );
  });
});
