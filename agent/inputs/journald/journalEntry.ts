import { Buffer } from 'node:buffer';

/** Where an entry is in the journal: the sequence it belongs to and its number there. */
export interface JournalPosition {
  /** `journal-<seqnum id>`: a stable stream name for the entries' event ids and acknowledgements. */
  fileId: string;
  seqnum: number;
  cursor: string;
}

/**
 * The position of an entry from its `__CURSOR` (`s=<seqnum id>;i=<seqnum, hex>;b=…`): a journal's entries
 * are numbered in order, so (seqnum id, seqnum) names each for good, like (file, offset) names a line.
 * Undefined when the cursor is not in that form.
 */
export function positionOf(cursor: unknown): JournalPosition | undefined {
  if (typeof cursor !== 'string') return undefined;
  const s = /(?:^|;)s=([0-9a-f]+)(?:;|$)/.exec(cursor);
  const i = /(?:^|;)i=([0-9a-f]+)(?:;|$)/.exec(cursor);
  if (s === null || i === null) return undefined;
  const seqnum = Number.parseInt(i[1], 16);
  if (!Number.isSafeInteger(seqnum)) return undefined;
  return { fileId: `journal-${s[1]}`, seqnum, cursor };
}

/** Syslog severities (PRIORITY) as Sluice levels. */
const LEVELS = ['fatal', 'fatal', 'fatal', 'error', 'warn', 'info', 'info', 'debug'] as const;

/** What a journal entry becomes: one JSON object the json parser reads like any structured line. */
export interface MappedEntry {
  json: string;
  /** Bytes of MESSAGE when it was cut at `maxMessageBytes`. */
  originalBytes: number | undefined;
}

/**
 * Maps one `journalctl -o json` entry: MESSAGE → message, PRIORITY → level, `_SYSTEMD_UNIT` (without
 * `.service`), else SYSLOG_IDENTIFIER, else `_COMM` → service, `_HOSTNAME` → host, the realtime
 * timestamp → ts, and `_PID`, the unit, the identifier and the facility as attributes. journalctl
 * writes a value that is not valid UTF-8 as an array of bytes; it is decoded (invalid bytes become
 * U+FFFD). A field repeated in one entry comes as an array of values: the first is taken.
 */
export function mapEntry(entry: Record<string, unknown>, maxMessageBytes: number): MappedEntry {
  let message = text(entry.MESSAGE) ?? '';
  let originalBytes: number | undefined;
  const bytes = Buffer.byteLength(message);
  if (bytes > maxMessageBytes) {
    originalBytes = bytes;
    message = Buffer.from(message).subarray(0, maxMessageBytes).toString('utf8');
  }
  const unit = text(entry._SYSTEMD_UNIT);
  const identifier = text(entry.SYSLOG_IDENTIFIER);
  const record: Record<string, unknown> = { message };
  const micros = Number(text(entry.__REALTIME_TIMESTAMP));
  if (Number.isFinite(micros) && micros > 0) record.ts = new Date(Math.floor(micros / 1000)).toISOString();
  const priority = Number(text(entry.PRIORITY));
  if (Number.isInteger(priority) && priority >= 0 && priority <= 7) record.level = LEVELS[priority];
  const service = unit?.replace(/\.service$/, '') ?? identifier ?? text(entry._COMM);
  if (service !== undefined && service !== '') record.service = service;
  const host = text(entry._HOSTNAME);
  if (host !== undefined) record.host = host;
  const pid = Number(text(entry._PID));
  if (Number.isInteger(pid)) record['process.pid'] = pid;
  if (unit !== undefined) record['systemd.unit'] = unit;
  if (identifier !== undefined) record['syslog.identifier'] = identifier;
  const facility = text(entry.SYSLOG_FACILITY);
  if (facility !== undefined) record['syslog.facility'] = Number(facility);
  return { json: JSON.stringify(record), originalBytes };
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((b) => typeof b === 'number'))
      return Buffer.from(value).toString('utf8');
    return text(value[0]);
  }
  return undefined;
}
