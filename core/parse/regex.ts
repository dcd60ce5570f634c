import { type AliasTarget, aliasOf } from '../event/aliases.ts';
import { liftInto } from './lift.ts';
import { unparsed } from './plain.ts';
import { scalarOf, setField } from './scalar.ts';
import { type LineParser, ParseConfigError, type ParsedRecord } from './types.ts';

/** `(?<name>`, but not the lookbehinds `(?<=` and `(?<!`. */
const NAMED_GROUP = /\(\?<([A-Za-z_$][\w$]*)>/g;

/** `http__status` → `http.status`; leading and trailing underscores (`__proto__`, `_id`) stay as written. */
const INNER_DOUBLE_UNDERSCORE = /(?<=[^_])__(?=[^_])/g;

interface Group {
  name: string;
  /** The record key: `__` in a group name stands for a dot, since group names cannot hold one. */
  key: string;
  /** Event fields (ts, level, ids, message) stay text exactly as matched; other fields may be numbers. */
  numeric: boolean;
}

/**
 * A user's pattern with named groups, e.g. `^(?<ts>\S+) (?<level>\w+) (?<msg>.*)$`, compiled once.
 * Each group that took part in the match becomes a field of the same name (`http__status` → `http.status`).
 * Without a message group the whole line is the message. A correlation ID or traceparent the groups do
 * not supply is lifted from the message text. Throws ParseConfigError at build time for a pattern that
 * does not compile or names no group; a line that does not match is kept with `regex: no match`.
 */
export function createRegexParser(pattern: string): LineParser {
  let regex: RegExp;
  try {
    regex = new RegExp(pattern);
  } catch (error) {
    throw new ParseConfigError(pattern, `regex pattern does not compile: ${(error as Error).message}`);
  }
  const groups = namedGroups(pattern);
  if (groups.length === 0) {
    throw new ParseConfigError(
      pattern,
      'regex pattern has no named groups; name the parts to keep, e.g. ^(?<ts>\\S+) (?<level>\\w+) (?<msg>.*)$',
    );
  }
  const covered = new Set<AliasTarget>();
  for (const group of groups) {
    const target = aliasOf(group.key)?.target;
    if (target !== undefined) covered.add(target);
  }
  const messageKeys = groups.filter((g) => aliasOf(g.key)?.target === 'message').map((g) => g.key);
  const wanted = {
    header: false,
    correlation: !covered.has('correlation_id'),
    trace: !covered.has('trace_id'),
  };

  return (line: string): ParsedRecord => {
    const match = regex.exec(line);
    if (match === null || match.groups === undefined) return unparsed(line, 'regex: no match');
    const record: ParsedRecord = {};
    const values = match.groups;
    for (let i = 0; i < groups.length; i++) {
      const group = groups[i];
      const value = values[group.name];
      if (value !== undefined) setField(record, group.key, group.numeric ? scalarOf(value) : value);
    }
    let message: string | undefined;
    for (let i = 0; i < messageKeys.length && message === undefined; i++) {
      const value = record[messageKeys[i]];
      if (typeof value === 'string') message = value;
    }
    if (message === undefined) {
      message = line;
      record.message = line;
    }
    if (wanted.correlation || wanted.trace) liftInto(message, record, wanted);
    return record;
  };
}

function namedGroups(pattern: string): Group[] {
  const groups: Group[] = [];
  for (const match of pattern.matchAll(NAMED_GROUP)) {
    // An escaped paren (`\(?<x>`) is literal text, not a group.
    if (match.index > 0 && pattern.charCodeAt(match.index - 1) === 92) continue;
    const name = match[1];
    const key = name.replace(INNER_DOUBLE_UNDERSCORE, '.');
    groups.push({ name, key, numeric: aliasOf(key) === undefined });
  }
  return groups;
}
