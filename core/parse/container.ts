import { parseJson } from './json.ts';
import { parsePlain, unparsed } from './plain.ts';
import { PARSE_ERROR_ATTR, type ParsedRecord } from './types.ts';

/** One line of a Kubernetes container log, as the runtime wrote it. */
export interface ContainerPart {
  /** When the runtime received it (RFC 3339, ns). */
  time: string;
  /** `stdout` or `stderr`. */
  stream: string;
  content: string;
  /** False for all but the last part of a message the runtime cut (CRI `P`, Docker without `\n`). */
  last: boolean;
}

/** The attribute the stream goes to (OpenTelemetry's name). */
export const STREAM_ATTR = 'log.iostream';

/** CRI: `<time> <stream> <P|F>[:more tags] <content>`; undefined when the line is not one. */
export function splitCri(text: string): ContainerPart | undefined {
  const a = text.indexOf(' ');
  const b = a < 0 ? -1 : text.indexOf(' ', a + 1);
  if (b < 0) return undefined;
  let c = text.indexOf(' ', b + 1);
  // An empty message may come without the space after its tag.
  if (c < 0) c = text.length;
  const flag = text.slice(b + 1, c).split(':', 1)[0];
  if (flag !== 'P' && flag !== 'F') return undefined;
  return {
    time: text.slice(0, a),
    stream: text.slice(a + 1, b),
    content: text.slice(c + 1),
    last: flag === 'F',
  };
}

/** Docker json-file: `{"log":"…\n","stream":"…","time":"…"}`; undefined when the line is not one. */
export function splitDocker(text: string): ContainerPart | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined; // not JSON: the caller reports it
  }
  const { log, stream, time } = (doc ?? {}) as { log?: unknown; stream?: unknown; time?: unknown };
  if (typeof log !== 'string') return undefined;
  return {
    time: typeof time === 'string' ? time : '',
    stream: typeof stream === 'string' ? stream : '',
    content: log,
    last: log.endsWith('\n'),
  };
}

/** `format: cri`: the runtime's prefix gives the stream and, when the message has none, the time. */
export function parseCri(line: string): ParsedRecord {
  const part = splitCri(line);
  if (part === undefined) return unparsed(line, 'cri: expected <time> <stream> <P|F> <message>');
  return containerRecord(part);
}

/** `format: docker`: Docker's json-file lines, the same way. */
export function parseDocker(line: string): ParsedRecord {
  const part = splitDocker(line);
  if (part === undefined) return unparsed(line, 'docker: expected {"log": "…", "stream": "…", "time": "…"}');
  return containerRecord(part);
}

const TIME_KEYS = ['ts', 'timestamp', '@timestamp', 'time'];

/**
 * The application's own line inside the runtime's wrapper: parsed as JSON when it is a JSON object
 * (most structured loggers), as plain text otherwise (its header still gives time and level). Its
 * own time wins over the runtime's, which is when the line was received, not when it happened.
 */
function containerRecord(part: ContainerPart): ParsedRecord {
  let content = part.content;
  if (content.endsWith('\n')) content = content.slice(0, content.endsWith('\r\n') ? -2 : -1);
  let record: ParsedRecord | undefined;
  if (content.charCodeAt(0) === 123 /* { */) {
    record = parseJson(content);
    // Looked like JSON but was not: the text as it is, without blaming the line.
    if (record[PARSE_ERROR_ATTR] !== undefined) record = undefined;
  }
  record ??= parsePlain(content);
  if (part.time !== '' && !TIME_KEYS.some((key) => record[key] !== undefined)) record.ts = part.time;
  if (part.stream !== '') record[STREAM_ATTR] = part.stream;
  return record;
}
