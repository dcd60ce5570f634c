import { scalarOf, setField } from '../scalar.ts';
import { PARSE_ERROR_ATTR, type ParsedRecord } from '../types.ts';

/**
 * The rest of an RFC 5424 line after `<PRI>`: `1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]`.
 * `-` is the nil value and leaves a field out. APP-NAME becomes `service`, PROCID and MSGID become
 * `syslog.procid`/`syslog.msgid`, each SD-PARAM becomes `<SD-ID>.<name>` (`[origin ip="10.0.0.1"]` →
 * `origin.ip`). Returns false when the header is not RFC 5424, so the caller can try RFC 3164.
 */
export function readRfc5424(line: string, start: number, record: ParsedRecord): boolean {
  // VERSION: 1 to 3 digits and a space. Only version 1 exists; later ones are read the same way.
  let i = start;
  while (i < line.length && i - start < 3 && isDigit(line.charCodeAt(i))) i++;
  if (i === start || line.charCodeAt(i) !== 32) return false;
  const fields: string[] = [];
  i++;
  for (let f = 0; f < 5; f++) {
    const space = line.indexOf(' ', i);
    if (space === -1 || space === i) return false;
    fields.push(line.slice(i, space));
    i = space + 1;
  }
  if (!isDigit(fields[0].charCodeAt(0)) && fields[0] !== '-') return false;
  if (fields[0] !== '-') record.ts = fields[0];
  if (fields[1] !== '-') record.host = fields[1];
  if (fields[2] !== '-') record.service = fields[2];
  if (fields[3] !== '-') record['syslog.procid'] = scalarOf(fields[3]);
  if (fields[4] !== '-') record['syslog.msgid'] = fields[4];

  let messageStart: number;
  if (line.charCodeAt(i) === 45 /* - */) {
    messageStart = i + 1;
  } else {
    const end = readStructuredData(line, i, record);
    if (end === -1) {
      // Keep the header; the unreadable rest is the message, flagged so the sender can be fixed.
      record.message = line.slice(i);
      record[PARSE_ERROR_ATTR] = 'syslog: malformed structured data';
      return true;
    }
    messageStart = end;
  }
  if (messageStart < line.length && line.charCodeAt(messageStart) === 32) messageStart++;
  // A MSG in UTF-8 starts with a byte order mark (RFC 5424 §6.4); it is not part of the text.
  if (line.charCodeAt(messageStart) === 0xfeff) messageStart++;
  record.message = line.slice(messageStart);
  return true;
}

/**
 * `[id name="value" …][id2 …]` from `start`; returns the index after the last `]`, or -1 when malformed.
 * Inside values `\"`, `\\` and `\]` are escapes (RFC 5424 §6.3.3).
 */
function readStructuredData(line: string, start: number, record: ParsedRecord): number {
  let i = start;
  while (line.charCodeAt(i) === 91 /* [ */) {
    let idEnd = i + 1;
    while (idEnd < line.length && !isSdDelimiter(line.charCodeAt(idEnd))) idEnd++;
    if (idEnd === i + 1 || idEnd >= line.length) return -1;
    const id = line.slice(i + 1, idEnd);
    i = idEnd;
    while (line.charCodeAt(i) === 32) {
      const eq = line.indexOf('="', i + 1);
      if (eq === -1 || eq === i + 1) return -1;
      const name = line.slice(i + 1, eq);
      for (let k = 0; k < name.length; k++) if (isSdDelimiter(name.charCodeAt(k))) return -1;
      const valueEnd = closingQuote(line, eq + 2);
      if (valueEnd === -1) return -1;
      let value = line.slice(eq + 2, valueEnd);
      if (value.indexOf('\\') !== -1) value = value.replace(SD_ESCAPE, '$1');
      setField(record, `${id}.${name}`, scalarOf(value));
      i = valueEnd + 1;
    }
    if (line.charCodeAt(i) !== 93 /* ] */) return -1;
    i++;
  }
  return i;
}

const SD_ESCAPE = /\\(["\\\]])/g;

function closingQuote(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return -1;
}

/** SD-NAME ends at a space, `=`, `]` or `"` (RFC 5424 §6.3.2). */
function isSdDelimiter(c: number): boolean {
  return c === 32 || c === 61 || c === 93 || c === 34;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
