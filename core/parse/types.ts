/**
 * What a line parser hands on: one record in the shape `normalizeRecord` reads (core/event/normalize.ts),
 * i.e. keys such as `message`/`msg`, `level`, `ts`, `service`, `correlation_id`, plus any other fields,
 * which normalizing moves to attrs. A parser returns the record itself rather than a wrapper so the
 * hot path allocates one object per line.
 *
 * Every record a parser returns names a message (under one of normalizeRecord's message aliases), so no
 * line is ever refused downstream for lacking one.
 */
export type ParsedRecord = Record<string, unknown>;

/** Parses one line (without its newline). Never throws: a line that does not fit is kept as a message. */
export type LineParser = (line: string) => ParsedRecord;

/**
 * Attribute set on a record whose line did not have the expected format, e.g.
 * `json: Unexpected token 'o' at position 12`. The line itself is then the record's message.
 */
export const PARSE_ERROR_ATTR = 'sluice.parse_error';

export const FORMATS = ['auto', 'json', 'logfmt', 'regex', 'plain', 'nginx', 'apache', 'syslog'] as const;
export type Format = (typeof FORMATS)[number];
/**
 * Kubernetes container logs (core/parse/container.ts): formats of the agent's file input only, which
 * joins their partial lines before parsing; the server sees the application's line, never the wrapper.
 */
export type ContainerFormat = 'cri' | 'docker';

/** Why a parser could not be built from its config; thrown at start-up, never per line. */
export class ParseConfigError extends Error {
  readonly code: 'parse_config_invalid';
  /** The offending setting (bounded), e.g. the regex source. */
  readonly input: string;
  constructor(input: string, message: string) {
    super(message);
    this.name = 'ParseConfigError';
    this.code = 'parse_config_invalid';
    this.input = input.length > 200 ? `${input.slice(0, 200)}…` : input;
  }
}

/** The parse error of a record, when its line did not fit the format. */
export function parseErrorOf(record: ParsedRecord): string | undefined {
  const error = record[PARSE_ERROR_ATTR];
  return typeof error === 'string' ? error : undefined;
}
