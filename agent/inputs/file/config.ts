import * as v from 'valibot';
import { durationSchema, sizeSchema } from '../../../core/units/schema.ts';
import { commonInputKeys, formatKey, LINE_FORMAT_DESCRIPTION, LINE_FORMATS } from '../commonConfig.ts';

export const fileInputSchema = v.strictObject({
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
  format: formatKey(
    [...LINE_FORMATS, 'syslog', 'cri', 'docker'],
    LINE_FORMAT_DESCRIPTION +
      ' `syslog`: RFC 5424 or RFC 3164 lines, `<PRI>` optional (files written by rsyslog).' +
      ' `cri` and `docker`: Kubernetes container logs (CRI, or Docker json-file), partial lines joined, the stream kept as `log.iostream`; the content is parsed as JSON when it is an object, as plain text otherwise.',
    'plain',
  ),
  ...commonInputKeys,
});

export type FileInputConfig = v.InferOutput<typeof fileInputSchema>;
