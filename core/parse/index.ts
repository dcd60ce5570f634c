export { parseAccessLog } from './access.ts';
export { createParser, type ParserConfig } from './createParser.ts';
export { type DetectedFormat, detectFormat } from './detect.ts';
export { parseJson } from './json.ts';
export { type Lifted, liftFromText } from './lift.ts';
export { lineEvent, SHIPPED_PARSE_ATTR } from './lineEvent.ts';
export { parseLogfmt } from './logfmt.ts';
export {
  type Assembled,
  createMultiline,
  type LineIn,
  type Multiline,
  type MultilineOptions,
} from './multiline/assembler.ts';
export { PRESETS, type Preset } from './multiline/presets.ts';
export { multilineConfigSchema } from './multiline/schema.ts';
export { parsePlain } from './plain.ts';
export { createRegexParser } from './regex.ts';
export { parserConfigSchema } from './schema.ts';
export { createSyslogParser, type SyslogOptions } from './syslog/syslog.ts';
export {
  FORMATS,
  type Format,
  type LineParser,
  PARSE_ERROR_ATTR,
  ParseConfigError,
  type ParsedRecord,
  parseErrorOf,
} from './types.ts';
