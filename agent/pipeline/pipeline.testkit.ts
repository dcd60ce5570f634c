import { Buffer } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { parseConfig } from '../../core/config/parseConfig.ts';
import type { LogEvent } from '../../core/event/types.ts';
import { type AgentConfig, agentConfigSchema } from '../config/schema.ts';
import type { LineRecord } from '../inputs/lineRecord.ts';
import { LineSplitter } from '../inputs/lineSplitter.ts';
import type { EncodedRecords, ShipRecord } from '../ship/shipRecord.ts';

/** agent.yaml text → the validated config, as the agent would see it. */
export function agentConfig(yaml: string): AgentConfig {
  return parseConfig(yaml, 'agent.yaml', agentConfigSchema, { env: {} });
}

/** A config with one file input; `input` is extra YAML indented under it. */
export function fileInputConfig(input = '', top = ''): AgentConfig {
  return agentConfig(
    `inputs:\n  - type: file\n    paths: [/var/log/app.log]\n    service: checkout\n${input}\n${top}`,
  );
}

/** Bytes → line records, through the inputs' own line splitter (offsets, truncation and all). */
export function linesOf(
  bytes: Buffer | string,
  options: { fileId?: string; source?: string; maxLineBytes?: number } = {},
): LineRecord[] {
  const splitter = new LineSplitter(options.maxLineBytes ?? 1024 * 1024);
  const out: LineRecord[] = [];
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  splitter.feed(buffer, 0, options.source ?? '/var/log/app.log', options.fileId ?? 'file-1', out);
  splitter.flushOpenLine(options.source ?? '/var/log/app.log', options.fileId ?? 'file-1', out);
  return out;
}

export function fixture(name: string): string {
  return readFileSync(new URL(`../../test/fixtures/logs/${name}`, import.meta.url), 'utf8');
}

/** The events a batch of records carries, parsed back from the JSON the shipper would send. */
export function eventsOf(records: readonly ShipRecord[]): LogEvent[] {
  return records.map((r) => JSON.parse(r.json) as LogEvent);
}

/** The records of an encoded block, read back the way the shipper reads them. */
export function recordsOf(block: EncodedRecords): ShipRecord[] {
  const bytes = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
  const out: ShipRecord[] = [];
  let run = 0;
  for (let i = 0; i < block.ends.length; i++) {
    while (i >= block.runEnds[run]) run++;
    const start = i === 0 ? 0 : block.ends[i - 1];
    if (bytes[block.ends[i] - 1] !== 10) throw new Error(`record ${i} does not end with a newline`);
    out.push({
      json: bytes.toString('utf8', start, block.ends[i] - 1),
      fileId: block.fileIds[run],
      offset: block.ranges[2 * i],
      next: block.ranges[2 * i + 1],
    });
  }
  return out;
}
