import * as v from 'valibot';
import { SERVER_FORMATS } from '../inputs/commonConfig.ts';
import { INPUT_KINDS } from '../inputs/table.ts';

type Kinds = typeof INPUT_KINDS;
/** The schemas of the table's kinds, as the tuple `v.variant` wants. */
type KindSchemas = { -readonly [K in keyof Kinds]: Kinds[K] extends { schema: infer S } ? S : never };

/** Parsed input, before the checks that span keys. */
type Input = v.InferOutput<KindSchemas[number]>;

export const inputSchema = v.pipe(
  v.variant('type', INPUT_KINDS.map((kind) => kind.schema) as unknown as KindSchemas),
  // A pattern only means something to the regex parser, and the regex parser needs one.
  v.forward(
    v.check(
      (input: Input) => (input.format === 'regex') === (input.pattern !== undefined),
      (issue) =>
        (issue.input as Input).format === 'regex'
          ? 'required with format: regex'
          : 'only used with format: regex; remove it or set format: regex',
    ),
    ['pattern'],
  ),
  // The processor parses what the agent ships unparsed only by these formats; regex groups can name a
  // secret the text does not show (`(?<password>\\S+)`), which only the agent may mask.
  v.forward(
    v.check(
      (input: Input) => input.parse !== 'server' || SERVER_FORMATS.includes(input.format as never),
      (issue) =>
        `parse: server takes format ${SERVER_FORMATS.join(', ')}; format ${(issue.input as Input).format} parses at the edge only, remove parse: server`,
    ),
    ['parse'],
  ),
);
