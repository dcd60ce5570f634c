import { ParseConfigError } from '../types.ts';
import { type Continues, PRESET_FACTORIES, type Preset } from './presets.ts';

/** One line as read, with the byte offsets of its start and of the line after it. */
export interface LineIn {
  text: string;
  offset: number;
  next: number;
}

/** One assembled event: its lines joined with `\n`, located by its first line's and its last line's offsets. */
export interface Assembled {
  text: string;
  /** The first line's offset: the agent derives the event id from it, so it must never change on replay. */
  offset: number;
  /** The offset after the last line: the agent may checkpoint here once the event is acknowledged. */
  next: number;
  lines: number;
  /** Cut at max_lines or max_bytes; the lines after the cut start the next event. */
  truncated?: true;
  /** The remainder of a cut event. */
  continued?: true;
}

export interface MultilineOptions {
  /** A line matching this regex begins a new event; every other line continues the current one. */
  start?: string;
  /** A line matching this regex continues the current event; every other line begins a new one. */
  continue?: string;
  /** A built-in rule for a language's stack traces. Exactly one of start, continue, preset. */
  preset?: Preset;
  /** Lines per event before it is cut (default 500). */
  max_lines?: number;
  /** Bytes per event (by offsets, newlines included) before it is cut; no limit by default. */
  max_bytes?: number;
  /** An event is complete when no line came for this long (default 1000 ms): see flush(). */
  timeout_ms?: number;
}

export interface Multiline {
  /** Adds a line read at `now` (ms); returns the event this line completed, if any. */
  push(line: LineIn, now: number): Assembled | undefined;
  /**
   * Returns the pending event when no line came for timeout_ms before `now`. The caller drives this
   * from its own timer (see deadline()), so assembly has no timers of its own and tests are exact.
   */
  flush(now: number): Assembled | undefined;
  /** Returns the pending event unconditionally: at end of input, on rotation, at shutdown. */
  drain(): Assembled | undefined;
  /** When flush() will emit the pending event (ms), or undefined when nothing is pending. */
  deadline(): number | undefined;
  /**
   * The first offset not yet emitted, or undefined when nothing is pending. A checkpoint must not pass
   * it: lines held here would be lost if the agent restarted.
   */
  pendingOffset(): number | undefined;
}

export const DEFAULT_MAX_LINES = 500;
export const DEFAULT_TIMEOUT_MS = 1000;

/**
 * Joins the lines of multi-line records (stack traces, pretty-printed messages) into one event each.
 * A line that would take an event past max_lines or max_bytes ends it (flagged `truncated`) and starts
 * the next (flagged `continued`), so one runaway trace cannot hold memory or the checkpoint back.
 * Trailing blank lines are consumed (their offsets count) but not kept in the text.
 */
export function createMultiline(options: MultilineOptions): Multiline {
  const continues = classifier(options);
  const maxLines = options.max_lines ?? DEFAULT_MAX_LINES;
  const maxBytes = options.max_bytes ?? Number.POSITIVE_INFINITY;
  const timeoutMs = options.timeout_ms ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isInteger(maxLines) && maxLines >= 1)) {
    throw new ParseConfigError(String(maxLines), 'multiline max_lines must be a whole number of at least 1');
  }

  let text = '';
  let offset = -1; // -1: nothing pending
  let next = 0;
  let lines = 0;
  let lastAt = 0;
  let continued = false;

  function begin(line: LineIn, now: number, isRemainder: boolean): void {
    text = line.text;
    offset = line.offset;
    next = line.next;
    lines = 1;
    lastAt = now;
    continued = isRemainder;
  }

  function emit(truncated: boolean): Assembled {
    const event: Assembled = { text: withoutTrailingBlankLines(text), offset, next, lines };
    if (truncated) event.truncated = true;
    if (continued) event.continued = true;
    offset = -1;
    text = '';
    return event;
  }

  return {
    push(line, now) {
      // The classifier sees every line, pending or not, so stateful presets follow the whole stream.
      const appends = continues(line.text);
      if (offset === -1) {
        begin(line, now, false);
        return undefined;
      }
      if (!appends) {
        const done = emit(false);
        begin(line, now, false);
        return done;
      }
      if (lines >= maxLines || line.next - offset > maxBytes) {
        const done = emit(true);
        begin(line, now, true);
        return done;
      }
      // String concatenation builds a rope; V8 flattens it once, when the text is first read.
      text += `\n${line.text}`;
      next = line.next;
      lines++;
      lastAt = now;
      return undefined;
    },
    flush(now) {
      return offset !== -1 && now - lastAt >= timeoutMs ? emit(false) : undefined;
    },
    drain() {
      return offset === -1 ? undefined : emit(false);
    },
    deadline() {
      return offset === -1 ? undefined : lastAt + timeoutMs;
    },
    pendingOffset() {
      return offset === -1 ? undefined : offset;
    },
  };
}

function classifier(options: MultilineOptions): Continues {
  const given = [options.start, options.continue, options.preset].filter((o) => o !== undefined).length;
  if (given !== 1) {
    throw new ParseConfigError(
      JSON.stringify({ start: options.start, continue: options.continue, preset: options.preset }),
      'multiline needs exactly one of start, continue or preset',
    );
  }
  if (options.preset !== undefined) {
    const factory = PRESET_FACTORIES[options.preset];
    if (factory === undefined) {
      throw new ParseConfigError(
        options.preset,
        `unknown multiline preset; known: ${Object.keys(PRESET_FACTORIES).join(', ')}`,
      );
    }
    return factory();
  }
  if (options.start !== undefined) {
    const start = compile(options.start, 'start');
    return (text) => !start.test(text);
  }
  const continuation = compile(options.continue as string, 'continue');
  return (text) => continuation.test(text);
}

function compile(source: string, name: string): RegExp {
  try {
    // No g or y flag: test() must not carry lastIndex from one line to the next.
    return new RegExp(source);
  } catch (error) {
    throw new ParseConfigError(
      source,
      `multiline ${name} pattern does not compile: ${(error as Error).message}`,
    );
  }
}

function withoutTrailingBlankLines(text: string): string {
  let end = text.length;
  while (end > 0) {
    const c = text.charCodeAt(end - 1);
    if (c !== 10 && c !== 13) break;
    end--;
  }
  return end === text.length ? text : text.slice(0, end);
}
