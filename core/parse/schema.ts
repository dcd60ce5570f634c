import * as v from 'valibot';
import { regexSchema } from '../config/fields/regex.ts';
import { FORMATS } from './types.ts';

/**
 * How an input's (agent) or a service rule's (processor) lines are parsed, as written in config:
 * `format: json` or `format: regex` with `pattern: '^(?<ts>\S+) (?<level>\w+) (?<msg>.*)$'`.
 * The output is the config createParser takes.
 */
export const parserConfigSchema = v.pipe(
  v.strictObject({
    format: v.optional(v.picklist(FORMATS, `expected one of ${FORMATS.join(', ')}`), 'plain'),
    pattern: v.optional(regexSchema({ namedGroups: true })),
  }),
  v.check(
    (c) => (c.format === 'regex') === (c.pattern !== undefined),
    'format regex needs a pattern, and only it takes one',
  ),
);

export type ParserConfigInput = v.InferInput<typeof parserConfigSchema>;
