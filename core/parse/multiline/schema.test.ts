import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { multilineConfigSchema } from './schema.ts';

describe('multiline config schema', () => {
  it('reads durations and sizes as people write them into createMultiline options', () => {
    assert.deepEqual(
      v.parse(multilineConfigSchema, { start: '^\\d{4}', timeout: '2s', max_bytes: '64KiB' }),
      {
        start: '^\\d{4}',
        continue: undefined,
        preset: undefined,
        max_lines: 500,
        max_bytes: 65536,
        timeout_ms: 2000,
      },
    );
  });

  it('refuses no mode, two modes, unknown presets, bad regexes and unknown keys', () => {
    for (const config of [
      {},
      { start: 'a', preset: 'java' },
      { preset: 'cobol' },
      { continue: '(' },
      { start: 'a', timout: '1s' },
    ]) {
      assert.equal(v.safeParse(multilineConfigSchema, config).success, false, JSON.stringify(config));
    }
  });
});
