import { SpoolError } from './spoolError.ts';

/**
 * One spooled batch is one file: `<seq>[-<part>].batch`, holding a magic line, a JSON envelope line
 * (`{"body_bytes": n, "meta": …}`) and the body bytes. The envelope carries what replay needs (encoding,
 * acks) and the body length, so a file cut short is recognised instead of sent.
 */

/** Where a batch sits in the spool's order: by `seq`, then by `part` (split halves: "0", "10", "11"…). */
export interface SpoolKey {
  seq: number;
  /** '' for a whole batch; the binary path of a split half. Leaves of one split tree are prefix-free, so string order is tree order. */
  part: string;
}

const MAGIC = 'sluice-spool/1\n';
const MAGIC_BYTES = Buffer.from(MAGIC);
const NAME = /^(\d{16})(?:-([01]+))?\.batch$/;

export function spoolFileName(key: SpoolKey): string {
  const seq = String(key.seq).padStart(16, '0');
  return key.part === '' ? `${seq}.batch` : `${seq}-${key.part}.batch`;
}

export function parseSpoolFileName(name: string): SpoolKey | undefined {
  const m = NAME.exec(name);
  return m === null ? undefined : { seq: Number(m[1]), part: m[2] ?? '' };
}

export function compareSpoolKeys(a: SpoolKey, b: SpoolKey): number {
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.part < b.part ? -1 : a.part > b.part ? 1 : 0;
}

/** The bytes of a spool file, as chunks for one writev. */
export function encodeSpoolFile(meta: unknown, body: Buffer): Buffer[] {
  const envelope = Buffer.from(`${JSON.stringify({ body_bytes: body.length, meta })}\n`);
  return [MAGIC_BYTES, envelope, body];
}

export interface SpoolHeader {
  meta: unknown;
  /** Where the body starts in the file. */
  bodyOffset: number;
  bodyBytes: number;
}

/**
 * Reads the header from the first bytes of a spool file. Undefined when more bytes are needed (the
 * envelope line is not complete in `head`); throws SpoolError when the bytes are not a spool header.
 */
export function decodeSpoolHeader(head: Buffer, file: string): SpoolHeader | undefined {
  if (head.length < MAGIC_BYTES.length) {
    if (MAGIC_BYTES.subarray(0, head.length).equals(head)) return undefined;
    throw corrupt(file, 'not a spool file');
  }
  if (!head.subarray(0, MAGIC_BYTES.length).equals(MAGIC_BYTES)) throw corrupt(file, 'not a spool file');
  const end = head.indexOf(0x0a, MAGIC_BYTES.length);
  if (end === -1) return undefined;
  let envelope: { body_bytes?: unknown; meta?: unknown };
  try {
    envelope = JSON.parse(head.toString('utf8', MAGIC_BYTES.length, end));
  } catch (error) {
    throw corrupt(file, `unreadable envelope: ${(error as Error).message}`);
  }
  if (typeof envelope.body_bytes !== 'number' || !Number.isSafeInteger(envelope.body_bytes)) {
    throw corrupt(file, 'envelope has no body length');
  }
  return { meta: envelope.meta, bodyOffset: end + 1, bodyBytes: envelope.body_bytes };
}

function corrupt(file: string, why: string): SpoolError {
  return new SpoolError(
    'spool_corrupt',
    `spool file ${file} is damaged (${why}); it is set aside, not sent`,
    {
      file,
    },
  );
}
