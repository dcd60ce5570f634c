import * as v from 'valibot';
import { regexSchema } from '../../config/fields/regex.ts';
import { durationSchema, sizeSchema } from '../../units/schema.ts';
import { DEFAULT_MAX_LINES, DEFAULT_TIMEOUT_MS, type MultilineOptions } from './assembler.ts';
import { PRESETS } from './presets.ts';

/**
 * `multiline:` as written in agent.yaml, e.g. `{ start: '^\d{4}-\d{2}-\d{2}', max_lines: 500, timeout: 1s }`
 * or `{ preset: java }`. The output is the options createMultiline takes (`timeout` becomes `timeout_ms`).
 */
export const multilineConfigSchema = v.pipe(
  v.strictObject({
    start: v.optional(regexSchema()),
    continue: v.optional(regexSchema()),
    preset: v.optional(v.picklist(PRESETS, `expected one of ${PRESETS.join(', ')}`)),
    max_lines: v.optional(
      v.pipe(
        v.number(),
        v.integer('expected a whole number of lines'),
        v.minValue(1, 'expected at least 1 line'),
      ),
      DEFAULT_MAX_LINES,
    ),
    max_bytes: v.optional(sizeSchema({ min: 1 })),
    timeout: v.optional(durationSchema({ min: 1 }), DEFAULT_TIMEOUT_MS),
  }),
  v.check(
    (c) => [c.start, c.continue, c.preset].filter((o) => o !== undefined).length === 1,
    'multiline needs exactly one of start, continue or preset',
  ),
  v.transform(
    (c): MultilineOptions => ({
      start: c.start,
      continue: c.continue,
      preset: c.preset,
      max_lines: c.max_lines,
      max_bytes: c.max_bytes,
      timeout_ms: c.timeout,
    }),
  ),
);
