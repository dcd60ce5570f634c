import {
  type Assembled,
  createMultiline,
  type Multiline,
  type MultilineOptions,
} from '../../core/parse/index.ts';
import type { AgentConfig } from '../config/schema.ts';
import type { LineRecord } from '../inputs/lineRecord.ts';
import { CONTINUED, CUT, type EventSource, eventSource, PARTIAL, TRUNCATED } from './eventBuilder.ts';

type InputConfig = AgentConfig['inputs'][number];

/** Receives each complete event's text and where it came from. `from` is reused: read it, don't keep it. */
export type OnEvent = (text: string, from: EventSource) => void;

/**
 * Groups lines into events: one line per event, or with `multiline:` the lines of one record (a stack
 * trace) per event, assembled per file so interleaved files never mix.
 */
export interface Assembly {
  push(line: LineRecord, now: number, onEvent: OnEvent): void;
  /** Emits held events that had no new line for the multiline timeout. */
  tick(now: number, onEvent: OnEvent): void;
  /** Emits every held event (shutdown, end of input). */
  drain(onEvent: OnEvent): void;
  /** Events held now, waiting for their next line or their timeout. */
  readonly held: number;
}

export function createAssembly(input: InputConfig): Assembly {
  return input.multiline === undefined ? singleLines() : multiLines(multilineOptions(input));
}

/** agent.yaml's `multiline:` as core/parse takes it. An event is bounded like a line: by max_line_bytes. */
export function multilineOptions(input: InputConfig): MultilineOptions {
  const m = input.multiline;
  if (m === undefined) throw new Error('input has no multiline settings');
  return {
    start: m.start,
    continue: m.continue,
    max_lines: m.max_lines,
    max_bytes: input.max_line_bytes,
    timeout_ms: m.timeout,
  };
}

function singleLines(): Assembly {
  const from = eventSource();
  return {
    push(line, _now, onEvent) {
      from.source = line.source;
      from.fileId = line.fileId;
      from.offset = line.offset;
      from.next = line.next;
      from.flags = (line.truncated === undefined ? 0 : TRUNCATED) | (line.partial ? PARTIAL : 0);
      from.originalBytes = line.truncated === undefined ? 0 : line.truncated.originalBytes;
      from.bytes = line.bytes;
      from.start = line.start;
      from.end = line.end;
      onEvent(line.text, from);
      from.bytes = undefined; // the reader's buffer: not to be kept past this line
    },
    tick() {},
    drain() {},
    held: 0,
  };
}

/** One file's assembler, and the flags of the lines its pending event holds. */
interface FileState {
  ml: Multiline;
  source: string;
  fileId: string;
  pendingFlags: number;
}

function multiLines(options: MultilineOptions): Assembly {
  // Validated once here, so a bad pattern stops start-up rather than the first line of each file.
  createMultiline(options);
  const files = new Map<string, FileState>();
  const from = eventSource();

  const emit = (state: FileState, done: Assembled, flags: number, onEvent: OnEvent): void => {
    from.source = state.source;
    from.fileId = state.fileId;
    from.offset = done.offset;
    from.next = done.next;
    from.flags = flags | (done.truncated ? CUT : 0) | (done.continued ? CONTINUED : 0);
    // A cut line inside a multi-line event: the event stood for every byte of its range in the source.
    from.originalBytes = flags & TRUNCATED ? done.next - done.offset : 0;
    onEvent(done.text, from);
  };

  return {
    push(line, now, onEvent) {
      let state = files.get(line.fileId);
      if (state === undefined) {
        state = { ml: createMultiline(options), source: line.source, fileId: line.fileId, pendingFlags: 0 };
        files.set(line.fileId, state);
      }
      state.source = line.source;
      const lineFlags = (line.truncated === undefined ? 0 : TRUNCATED) | (line.partial ? PARTIAL : 0);
      const done = state.ml.push(line, now);
      if (done === undefined) {
        state.pendingFlags |= lineFlags;
      } else {
        // The line that completed `done` is not part of it: it starts the pending event.
        emit(state, done, state.pendingFlags, onEvent);
        state.pendingFlags = lineFlags;
      }
    },
    tick(now, onEvent) {
      for (const [fileId, state] of files) {
        const done = state.ml.flush(now);
        if (done === undefined) continue;
        emit(state, done, state.pendingFlags, onEvent);
        // Nothing held any more: forget the file, so rotated-away files do not pile up.
        files.delete(fileId);
      }
    },
    drain(onEvent) {
      for (const state of files.values()) {
        const done = state.ml.drain();
        if (done !== undefined) emit(state, done, state.pendingFlags, onEvent);
      }
      files.clear();
    },
    get held() {
      let held = 0;
      for (const state of files.values()) if (state.ml.pendingOffset() !== undefined) held++;
      return held;
    },
  };
}
