import * as v from 'valibot';
import { regexSchema } from '../../core/config/fields/regex.ts';
import { durationSchema, sizeSchema } from '../../core/units/schema.ts';

const multiline = v.pipe(
  v.strictObject({
    start: v.optional(
      v.pipe(
        regexSchema(),
        v.description('A line matching this starts a new event; other lines join the one before.'),
        v.metadata({ example: '^\\d{4}-\\d{2}-\\d{2}' }),
      ),
    ),
    continue: v.optional(
      v.pipe(
        regexSchema(),
        v.description(
          'A line matching this joins the one before (e.g. `^\\s` for indented stack frames); others start a new event.',
        ),
      ),
    ),
    max_lines: v.optional(
      v.pipe(
        v.number(),
        v.integer(),
        v.minValue(1),
        v.description('Most lines in one event; further lines start a new one.'),
      ),
      500,
    ),
    timeout: v.optional(
      v.pipe(
        durationSchema({ min: 1 }),
        v.description('An event with no new line for this long is complete.'),
      ),
      '1s',
    ),
  }),
  v.check(
    (m) => (m.start === undefined) !== (m.continue === undefined),
    'expected exactly one of start or continue',
  ),
);

/** Keys every input has, whatever it reads from; `format` is each input's own (what it can parse). */
export const commonInputKeys = {
  service: v.pipe(
    v.string(),
    v.nonEmpty(),
    v.description('Service name of events that do not carry one.'),
    v.metadata({ example: 'checkout' }),
  ),
  parse: v.optional(
    v.pipe(
      v.picklist(['edge', 'server']),
      v.description(
        'Where lines are parsed into fields: `edge` (the agent) or `server` (the processor, which spares the agent most of its CPU per line), for formats json, logfmt and plain. Masking is always done by the agent.',
      ),
      v.metadata({ example: 'server' }),
    ),
    'edge',
  ),
  pattern: v.optional(
    v.pipe(
      regexSchema({ namedGroups: true }),
      v.description(
        'For `format: regex`: named groups become fields, e.g. `^(?<ts>\\S+) (?<level>\\w+) (?<message>.*)$`.',
      ),
    ),
  ),
  multiline: v.optional(
    v.pipe(
      multiline,
      v.description('Joins lines into one event (stack traces); absent means one line is one event.'),
    ),
  ),
  fields: v.optional(
    v.pipe(v.record(v.string(), v.string()), v.description('Attributes added to every event of this input.')),
    {},
  ),
  max_line_bytes: v.optional(
    v.pipe(
      sizeSchema({ min: 256 }),
      v.description('Longer lines are cut to this size and marked truncated.'),
    ),
    '1MiB',
  ),
  partial_line_timeout: v.optional(
    v.pipe(
      durationSchema({ min: 1 }),
      v.description('A last line without a newline is sent after waiting this long for the rest.'),
    ),
    '5s',
  ),
};

/** Formats `parse: server` takes: the processor parses these (backend/processor/stages/shipped.ts). */
export const SERVER_FORMATS = ['json', 'logfmt', 'plain'] as const;

/** How lines are parsed, for inputs that read lines written by applications (files, stdin). */
export const LINE_FORMATS = ['json', 'logfmt', 'regex', 'plain'] as const;

/** The `format` key of an input that parses with one of `formats`, `plain` by default. */
export function formatKey<const F extends readonly [string, ...string[]]>(
  formats: F,
  description: string,
  fallback: F[number],
) {
  return v.optional(v.pipe(v.picklist(formats), v.description(description)), fallback);
}

export const LINE_FORMAT_DESCRIPTION =
  'How a line is parsed: JSON object, logfmt `key=value` pairs, `pattern` with named groups, or the whole line as message.';
