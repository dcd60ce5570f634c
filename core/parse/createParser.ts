import { parseAccessLog } from './access.ts';
import { parseCri, parseDocker } from './container.ts';
import { detectFormat } from './detect.ts';
import { parseJson } from './json.ts';
import { parseLogfmt } from './logfmt.ts';
import { parsePlain } from './plain.ts';
import { createRegexParser } from './regex.ts';
import { createSyslogParser, type SyslogOptions } from './syslog/syslog.ts';
import {
  type ContainerFormat,
  type Format,
  type LineParser,
  ParseConfigError,
  type ParsedRecord,
} from './types.ts';

export interface ParserConfig extends SyslogOptions {
  format: Format | ContainerFormat;
  /** The pattern with named groups, for `regex` only. */
  pattern?: string;
}

/**
 * The parser for one input (agent) or service rule (processor), built once at start-up. Throws
 * ParseConfigError for a regex format without a usable pattern or a pattern given to another format.
 */
export function createParser(config: ParserConfig): LineParser {
  if (config.format !== 'regex' && config.pattern !== undefined) {
    throw new ParseConfigError(
      config.pattern,
      `a pattern applies to format regex only, not ${config.format}`,
    );
  }
  switch (config.format) {
    case 'json':
      return parseJson;
    case 'logfmt':
      return parseLogfmt;
    case 'plain':
      return parsePlain;
    case 'nginx':
    case 'apache':
      return parseAccessLog;
    case 'syslog':
      return createSyslogParser(config);
    case 'cri':
      return parseCri;
    case 'docker':
      return parseDocker;
    case 'regex':
      if (config.pattern === undefined || config.pattern === '') {
        throw new ParseConfigError(
          '',
          'format regex needs a pattern with named groups, e.g. (?<level>\\w+) (?<msg>.*)',
        );
      }
      return createRegexParser(config.pattern);
    case 'auto':
      return createAutoParser(config);
  }
}

function createAutoParser(options: SyslogOptions): LineParser {
  const syslog = createSyslogParser(options);
  return (line: string): ParsedRecord => {
    switch (detectFormat(line)) {
      case 'json':
        return parseJson(line);
      case 'syslog':
        return syslog(line);
      case 'access':
        return parseAccessLog(line);
      case 'logfmt':
        return parseLogfmt(line);
      case 'plain':
        return parsePlain(line);
    }
  };
}
