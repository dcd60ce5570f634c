import * as v from 'valibot';
import { commonInputKeys, formatKey } from '../commonConfig.ts';

export const journaldInputSchema = v.strictObject({
  type: v.pipe(v.literal('journald'), v.description('What the input reads.')),
  directory: v.optional(
    v.pipe(
      v.string(),
      v.nonEmpty(),
      v.description(
        "Journal directory to read (`journalctl --directory`), e.g. a host's /var/log/journal mounted in a pod; absent reads this machine's journal.",
      ),
      v.metadata({ example: '/var/log/journal' }),
    ),
  ),
  matches: v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.string(),
          v.regex(/^[A-Z0-9_]+=/, 'expected FIELD=value, e.g. _SYSTEMD_UNIT=kubelet.service'),
        ),
      ),
      v.description(
        'Only entries matching these `FIELD=value` (journalctl matches: the same field ORed, different fields ANDed).',
      ),
      v.metadata({ example: ['_SYSTEMD_UNIT=kubelet.service'] }),
    ),
    [],
  ),
  start_at: v.optional(
    v.pipe(
      v.picklist(['beginning', 'end']),
      v.description(
        'Where to start when there is no checkpoint yet: the oldest entry kept, or new entries only.',
      ),
    ),
    'end',
  ),
  journalctl: v.optional(
    v.pipe(v.string(), v.nonEmpty(), v.description('The journalctl program to run.')),
    'journalctl',
  ),
  format: formatKey(
    ['json'],
    'Entries are read with `journalctl -o json` and mapped to events (see docs/agent-inputs.md).',
    'json',
  ),
  ...commonInputKeys,
});

export type JournaldInputConfig = v.InferOutput<typeof journaldInputSchema>;
