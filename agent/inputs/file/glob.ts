import { isAbsolute, resolve } from 'node:path';
import process from 'node:process';
import { FileInputError } from './fileInputError.ts';

/**
 * Glob patterns for `paths` and `exclude`, without a dependency:
 *   `*` any run of characters but `/`     `?` one character but `/`
 *   `[abc]` `[a-z]` `[!a-z]` `[^a-z]`      a character class
 *   `**` as a whole segment: any number of directories (zero included)
 *   `\x` the character x itself
 * Unlike a shell, `*` also matches names starting with a dot: log files are often hidden that way and a
 * pattern the user wrote should not silently skip them. Paths use `/` (the agent runs on Unix-likes).
 */

export type GlobSegment =
  | { kind: 'literal'; name: string }
  | { kind: 'pattern'; re: RegExp }
  | { kind: 'globstar' };

export interface CompiledGlob {
  /** The pattern as given. */
  source: string;
  /** The directory where matching starts: the leading segments without wildcards. */
  base: string;
  /** The segments after `base`. */
  segments: GlobSegment[];
}

/** Compiles an include pattern; relative patterns are taken from `cwd`. */
export function compileGlob(pattern: string, cwd: string = process.cwd()): CompiledGlob {
  const absolute = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
  const parts = absolute.split('/').filter((part, i) => part !== '' || i === 0);
  let baseLength = 1; // parts[0] is '' for the root
  while (baseLength < parts.length - 1 && !hasMagic(parts[baseLength])) baseLength++;
  const segments = parts.slice(baseLength).map((part) => compileSegment(part, pattern));
  return { source: pattern, base: parts.slice(0, baseLength).join('/') || '/', segments };
}

/**
 * A matcher for an `exclude` pattern: a pattern without `/` is matched against the file name
 * (`*.gz`), one with `/` against the whole path (`/var/log/**\/debug/*`).
 */
export function compileExclude(pattern: string, cwd: string = process.cwd()): (path: string) => boolean {
  if (!pattern.includes('/')) {
    const re = segmentRegExp(pattern, pattern);
    return (path) => re.test(path.slice(path.lastIndexOf('/') + 1));
  }
  const absolute = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
  const parts = absolute.split('/').slice(1);
  let source = '^';
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (part === '**') source += i === parts.length - 1 ? '(?:/.*)?' : '(?:/[^/]*)*';
    else source += `/${segmentSource(part, pattern)}`;
  }
  const re = new RegExp(`${source}$`, 's');
  return (path) => re.test(path);
}

export function hasMagic(segment: string): boolean {
  return /[*?[\\]/.test(segment);
}

function compileSegment(part: string, pattern: string): GlobSegment {
  if (part === '**') return { kind: 'globstar' };
  if (!hasMagic(part)) return { kind: 'literal', name: part };
  return { kind: 'pattern', re: segmentRegExp(part, pattern) };
}

function segmentRegExp(part: string, pattern: string): RegExp {
  return new RegExp(`^${segmentSource(part, pattern)}$`, 's');
}

/** Translates one path segment to a regular expression source. */
function segmentSource(part: string, pattern: string): string {
  let out = '';
  for (let i = 0; i < part.length; i++) {
    const c = part[i];
    if (c === '*') {
      while (part[i + 1] === '*') i++; // `**` inside a segment is just `*`
      out += '[^/]*';
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = classEnd(part, i);
      if (end < 0) throw new FileInputError('glob_invalid', pattern, `"[" at ${i} has no closing "]"`);
      let body = part.slice(i + 1, end);
      const negate = body[0] === '!' || body[0] === '^';
      if (negate) body = body.slice(1);
      out += `[${negate ? '^/' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else if (c === '\\' && i + 1 < part.length) {
      out += escapeRegExp(part[++i]);
    } else {
      out += escapeRegExp(c);
    }
  }
  return out;
}

/** Index of the `]` closing the class opened at `start`; a `]` first in the class is a member. */
function classEnd(part: string, start: number): number {
  let i = start + 1;
  if (part[i] === '!' || part[i] === '^') i++;
  if (part[i] === ']') i++;
  const end = part.indexOf(']', i);
  return end;
}

function escapeRegExp(c: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(c) ? `\\${c}` : c;
}
