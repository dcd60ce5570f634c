import { fileInputKind } from './file/index.ts';
import { journaldInputKind } from './journald/index.ts';
import { stdinInputKind } from './stdin/index.ts';
import { syslogInputKind } from './syslog/index.ts';

/**
 * Every kind of input the agent has, by `type:`. The config schema's `inputs:` variants, start-up,
 * `--check-config` and the start-up summary all read this list: a new input is one folder and one
 * line here.
 */
export const INPUT_KINDS = [fileInputKind, stdinInputKind, syslogInputKind, journaldInputKind] as const;

/** The kind of a parsed input. */
export function kindOf(type: string): (typeof INPUT_KINDS)[number] {
  const kind = INPUT_KINDS.find((k) => k.type === type);
  if (kind === undefined) throw new Error(`no input of type ${type}`); // the schema admits only these
  return kind;
}
