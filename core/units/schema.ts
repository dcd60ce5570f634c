import * as v from 'valibot';
import { formatDuration, parseDuration } from './duration.ts';
import { formatSize, parseSize } from './size.ts';
import { UnitError } from './unitError.ts';

export const DURATION_EXPECTED = 'expected a duration such as 500ms, 30s, 5m, 7d';
export const SIZE_EXPECTED = 'expected a size such as 512KiB, 10MB, 1GiB (or a number of bytes)';

export interface UnitBounds {
  /** Smallest allowed value, in ms for durations and bytes for sizes. */
  min?: number;
  max?: number;
}

interface UnitKind {
  name: 'duration' | 'size';
  expected: string;
  parse: (text: string) => number;
  format: (value: number) => string;
  /** Checks a number written without a unit; returns what is wrong with it. */
  checkNumber: (value: number) => string | undefined;
}

const DURATION: UnitKind = {
  name: 'duration',
  expected: DURATION_EXPECTED,
  parse: parseDuration,
  format: formatDuration,
  checkNumber: (value) => (Number.isFinite(value) && value >= 0 ? undefined : 'durations cannot be negative'),
};

const SIZE: UnitKind = {
  name: 'size',
  expected: SIZE_EXPECTED,
  parse: parseSize,
  format: formatSize,
  checkNumber: (value) =>
    Number.isSafeInteger(value) && value >= 0 ? undefined : 'sizes are a whole, non-negative number of bytes',
};

/** A duration written as `500ms`/`1h30m` or as a number of milliseconds; the output is milliseconds. */
export function durationSchema(bounds: UnitBounds = {}) {
  return unitSchema(DURATION, bounds);
}

/** A size written as `512KiB`/`10MB` or as a number of bytes; the output is bytes. */
export function sizeSchema(bounds: UnitBounds = {}) {
  return unitSchema(SIZE, bounds);
}

function unitSchema(kind: UnitKind, bounds: UnitBounds) {
  return v.pipe(
    v.union([v.number(), v.string()], kind.expected),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const input = dataset.value;
      // Messages carry "found …" so the config error renderer does not repeat the input.
      const fail = (reason: string) => {
        addIssue({ message: `${kind.expected}, found ${JSON.stringify(input)}: ${reason}` });
        return NEVER;
      };
      let value: number;
      if (typeof input === 'number') {
        const problem = kind.checkNumber(input);
        if (problem) return fail(problem);
        value = input;
      } else {
        try {
          value = kind.parse(input);
        } catch (error) {
          if (error instanceof UnitError) return fail(error.reason);
          throw error;
        }
      }
      if (bounds.min !== undefined && value < bounds.min)
        return fail(`the smallest allowed is ${kind.format(bounds.min)}`);
      if (bounds.max !== undefined && value > bounds.max)
        return fail(`the largest allowed is ${kind.format(bounds.max)}`);
      return value;
    }),
    v.metadata({ type: kind.name }),
  );
}
