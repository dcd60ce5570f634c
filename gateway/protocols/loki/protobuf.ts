import { join } from 'node:path';
import protobuf from 'protobufjs';
import { uncompress } from 'snappyjs';
import { ApiError } from '../../../core/http/apiError.ts';
import { checkProtobuf } from '../../body/protobufShape.ts';
import { problem } from '../../ingest/ingestBatch.ts';
import { lokiLabels, lokiRecord } from './decode.ts';

/** Loki's published push schema, loaded once. */
const schema = protobuf.loadSync(join(import.meta.dirname, 'proto/push.proto'));
export const PushRequest = schema.lookupType('logproto.PushRequest');

/** Held to `limits.max_records` each, before decoding: entries, and the streams around them. */
const COUNTED = ['logproto.PushRequest.streams', 'logproto.StreamAdapter.entries'];

interface Entry {
  timestamp?: { seconds?: string; nanos?: number };
  line?: string;
  structuredMetadata?: Array<{ name?: string; value?: string }>;
}

/**
 * A Loki protobuf push (Promtail, Grafana Alloy `loki.write`): a snappy-compressed (block format, as
 * Loki reads it) PushRequest. The snappy header's length is checked against `maxDecodedBytes` before
 * anything is allocated (a snappy bomb is a 413); the PushRequest is checked and counted before decoding.
 * Maps like the JSON push: labels, then each entry at its own time with its structured metadata.
 */
export function decodeLokiProtobuf(raw: Buffer, maxRecords: number, maxDecodedBytes: number): unknown[] {
  const body = unsnappy(raw, maxDecodedBytes);
  checkProtobuf(PushRequest, body, COUNTED, maxRecords, 'Loki PushRequest');
  const request = PushRequest.toObject(PushRequest.decode(body), { longs: String }) as {
    streams?: Array<{ labels?: string; entries?: Entry[] }>;
  };
  const records: unknown[] = [];
  for (const stream of request.streams ?? []) {
    const labels = parseLabels(stream.labels ?? '');
    for (const entry of stream.entries ?? []) {
      if (labels === undefined) {
        records.push(problem(`stream labels ${JSON.stringify(stream.labels)} are not {name="value", …}`));
        continue;
      }
      const metadata: Record<string, unknown> = {};
      for (const { name, value } of entry.structuredMetadata ?? []) if (name) metadata[name] = value ?? '';
      records.push(lokiRecord(labels, unixNanos(entry.timestamp), entry.line ?? '', metadata));
    }
  }
  return records;
}

function unsnappy(raw: Buffer, maxDecodedBytes: number): Uint8Array {
  try {
    return uncompress(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength), maxDecodedBytes);
  } catch (error) {
    const message = (error as Error).message;
    if (message.includes('too big'))
      throw new ApiError(
        413,
        'body_too_large',
        `decompressed body exceeds ${maxDecodedBytes} bytes; send smaller batches`,
      );
    throw new ApiError(
      400,
      'bad_encoding',
      `a Loki protobuf push must be snappy-compressed (block format): ${message}`,
    );
  }
}

function unixNanos(timestamp: Entry['timestamp']): string {
  return (BigInt(timestamp?.seconds ?? 0) * 1_000_000_000n + BigInt(timestamp?.nanos ?? 0)).toString();
}

/** One `name="value"` pair of Prometheus label syntax; the value is a Go-quoted string. */
const LABEL = /\s*([a-zA-Z_][a-zA-Z0-9_.]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)/y;

/** `{job="varlogs", host="node-7"}` to labels; undefined when it is not that syntax. */
function parseLabels(text: string): ReturnType<typeof lokiLabels> | undefined {
  const inner = text.trim();
  if (!inner.startsWith('{') || !inner.endsWith('}')) return undefined;
  const body = inner.slice(1, -1);
  const labels: Record<string, string> = {};
  LABEL.lastIndex = 0;
  while (LABEL.lastIndex < body.length) {
    const at = LABEL.lastIndex;
    const match = LABEL.exec(body);
    if (match === null) return body.slice(at).trim() === '' ? lokiLabels(labels) : undefined;
    try {
      labels[match[1]] = JSON.parse(`"${match[2]}"`) as string;
    } catch {
      return undefined;
    }
  }
  return lokiLabels(labels);
}
