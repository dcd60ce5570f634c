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

/** Keys every input has, whatever it reads from. */
const common = {
  service: v.pipe(
    v.string(),
    v.nonEmpty(),
    v.description('Service name of events that do not carry one.'),
    v.metadata({ example: 'checkout' }),
  ),
  format: v.optional(
    v.pipe(
      v.picklist(['json', 'logfmt', 'regex', 'plain']),
      v.description(
        'How a line is parsed: JSON object, logfmt `key=value` pairs, `pattern` with named groups, or the whole line as message.',
      ),
    ),
    'plain',
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

const fileInput = v.strictObject({
  type: v.pipe(v.literal('file'), v.description('What the input reads.')),
  paths: v.pipe(
    v.array(v.pipe(v.string(), v.nonEmpty())),
    v.minLength(1),
    v.description('Glob patterns of files to tail.'),
    v.metadata({ example: ['/var/log/app/*.log'] }),
  ),
  exclude: v.optional(
    v.pipe(
      v.array(v.string()),
      v.description('Glob patterns of files to skip, matched against the full path and the base name.'),
    ),
    [],
  ),
  start_at: v.optional(
    v.pipe(
      v.picklist(['beginning', 'end']),
      v.description('Where to start in a file never seen before; files with a checkpoint resume from it.'),
    ),
    'beginning',
  ),
  scan_interval: v.optional(
    v.pipe(
      durationSchema({ min: 10 }),
      v.description('How often `paths` are expanded again to find new and rotated files.'),
    ),
    '1s',
  ),
  watch: v.optional(
    v.pipe(
      v.boolean(),
      v.description(
        'Also scan as soon as a file is created, renamed or deleted in a watched directory (inotify), so files that match only briefly (quick rotations) are not missed; `scan_interval` stays the fallback.',
      ),
    ),
    true,
  ),
  poll_interval: v.optional(
    v.pipe(
      durationSchema({ min: 10 }),
      v.description('How often open files are checked for new bytes once every file is read to its end.'),
    ),
    '250ms',
  ),
  rotate_wait: v.optional(
    v.pipe(
      durationSchema({ min: 1 }),
      v.description('A rotated or deleted file is read until it has not grown for this long, then closed.'),
    ),
    '5s',
  ),
  max_open_files: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.description('Files held open at once; beyond it idle files are closed and reopened in turn.'),
    ),
    1024,
  ),
  fingerprint_bytes: v.optional(
    v.pipe(
      sizeSchema({ min: 16, max: 65536 }),
      v.description("Bytes of a file's head that identify it, with its device and inode."),
    ),
    '1KiB',
  ),
  read_chunk_bytes: v.optional(
    v.pipe(sizeSchema({ min: 4096, max: 16 * 1024 * 1024 }), v.description('Bytes read per system call.')),
    '256KiB',
  ),
  ...common,
});

const stdinInput = v.strictObject({
  type: v.pipe(v.literal('stdin'), v.description('What the input reads.')),
  ...common,
});

/** Parsed input, before the checks that span keys. */
type Input = v.InferOutput<typeof fileInput> | v.InferOutput<typeof stdinInput>;

export const inputSchema = v.pipe(
  v.variant('type', [fileInput, stdinInput]),
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
);
