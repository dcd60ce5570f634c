import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { silentLogger } from '../../core/log/logger.ts';
import type { AgentConfig } from '../config/schema.ts';
import type { LineRecord } from '../inputs/lineRecord.ts';
import type { EncodedRecords, ShipRecord } from '../ship/shipRecord.ts';
import { fileInputConfig, fixture, linesOf } from './pipeline.testkit.ts';
import { edgeThreadsFor, startPipelineHost } from './pipelineHost.ts';
import type { PipelineSink } from './pipelineStage.ts';
import { LINES_WINDOW_PER_WORKER } from './worker/remoteStage.ts';

const ENV = { env: {}, hostname: 'node-7' };
const never = new Promise<void>(() => undefined);

/** A sink that keeps what it gets as JSON lines and acknowledged blank-line ranges. */
function collecting(options: { hold?: Promise<void> } = {}) {
  const json: string[] = [];
  const ranges: Array<[number, number]> = [];
  const skipped: Array<[string, number, number]> = [];
  const take = (records: readonly ShipRecord[]) => {
    for (const r of records) {
      json.push(r.json);
      ranges.push([r.offset, r.next]);
    }
  };
  const sink: PipelineSink = {
    records: async (records) => {
      take(records);
      await options.hold;
    },
    recordsNow: take,
    encoded: async (block: EncodedRecords) => {
      const bytes = Buffer.from(block.bytes.buffer, block.bytes.byteOffset, block.bytes.byteLength);
      for (let i = 0; i < block.ends.length; i++) {
        json.push(bytes.toString('utf8', i === 0 ? 0 : block.ends[i - 1], block.ends[i] - 1));
        ranges.push([block.ranges[2 * i], block.ranges[2 * i + 1]]);
      }
      await options.hold;
    },
    skipped: (fileId, offset, next) => skipped.push([fileId, offset, next]),
  };
  return { sink, json, ranges, skipped };
}

/** Lines of the JSON fixture and of generated JSON, blank lines and secrets among them. */
function manyLines(): LineRecord[] {
  let text = fixture('app.json.log');
  for (let i = 0; i < 3000; i++) {
    text +=
      i % 500 === 7
        ? '\n'
        : `{"ts":"2026-11-24T08:00:00.${String(i % 1000).padStart(3, '0')}Z","level":"info","msg":"order ${i} password=pw${i}","http":{"status":${200 + (i % 3)}}}\n`;
  }
  return linesOf(text);
}

async function run(config: AgentConfig, threads: number, lines: LineRecord[]) {
  const host = await startPipelineHost(config, { ...ENV, threads, log: silentLogger, stopping: never });
  try {
    const out = collecting();
    const stage = host.stage(0, out.sink);
    for (let i = 0; i < lines.length; i += 250) await stage.push(lines.slice(i, i + 250), 1_795_000_000_000);
    await stage.drain();
    return { ...out, stats: stage.stats(), masked: host.maskStats().masked, threads: host.threads };
  } finally {
    await host.close();
  }
}

describe('pipeline host', () => {
  it('builds in worker threads exactly the events this thread builds, in the order of the lines', async () => {
    const config = fileInputConfig('    format: json');
    const lines = manyLines();
    const here = await run(config, 0, lines);
    const oneWorker = await run(config, 1, lines);
    const twoWorkers = await run(config, 2, lines);
    assert.deepEqual([here.threads, oneWorker.threads, twoWorkers.threads], [0, 1, 2]);
    assert.ok(here.json.length > 2990);
    assert.deepEqual(oneWorker.json, here.json);
    // Batches alternate between the two workers and still come back in order.
    assert.deepEqual(twoWorkers.json, here.json);
    assert.deepEqual(twoWorkers.ranges, here.ranges);
    assert.deepEqual(twoWorkers.skipped.sort(), here.skipped.sort(), 'blank lines acknowledged');
    assert.deepEqual(twoWorkers.stats, here.stats, 'totals summed over the workers');
    assert.equal(twoWorkers.masked.password, here.masked.password);
    assert.ok(here.masked.password >= 3000 - 6, 'masked counts come back from the workers');
  });

  it('takes no more than its window of batches while the shipper takes nothing, and goes on after', async () => {
    const config = fileInputConfig('    format: json');
    const host = await startPipelineHost(config, { ...ENV, threads: 1, log: silentLogger, stopping: never });
    try {
      let release: () => void = () => undefined;
      const hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      const out = collecting({ hold });
      const stage = host.stage(0, out.sink);
      const lines = manyLines().filter((line) => line.text !== '');
      const window = LINES_WINDOW_PER_WORKER + 2;
      for (let i = 0; i < window - 1; i++) await stage.push(lines.slice(i * 10, i * 10 + 10), 0);
      let taken = false;
      const last = stage.push(lines.slice(100, 110), 0).then(() => {
        taken = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(taken, false, 'the input waits: the shipper holds the first batch');
      release();
      await last;
      await stage.drain();
      assert.equal(out.json.length, window * 10);
    } finally {
      await host.close();
    }
  });

  it('stops waiting for room when shutdown begins', async () => {
    const config = fileInputConfig('    format: json');
    let stop: () => void = () => undefined;
    const stopping = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const host = await startPipelineHost(config, { ...ENV, threads: 1, log: silentLogger, stopping });
    try {
      const stage = host.stage(0, collecting({ hold: never }).sink);
      const lines = manyLines();
      for (let i = 0; i < LINES_WINDOW_PER_WORKER + 1; i++) await stage.push(lines.slice(i, i + 1), 0);
      const blocked = stage.push(lines.slice(50, 51), 0);
      stop();
      await blocked;
    } finally {
      await host.close();
    }
  });

  it('keeps a multi-line input on one worker: held events come with the timeout tick and at drain', async () => {
    const config = fileInputConfig("    multiline: { start: '^\\d{4}-\\d{2}-\\d{2} ', timeout: 1s }");
    const host = await startPipelineHost(config, { ...ENV, threads: 2, log: silentLogger, stopping: never });
    try {
      const out = collecting();
      const stage = host.stage(0, out.sink);
      const lines = linesOf(fixture('java.multiline.log'));
      // Split mid-event: the lines of one stack trace cross batches and must meet in one pipeline.
      await stage.push(lines.slice(0, 3), 1000);
      await stage.push(lines.slice(3), 1000);
      stage.tick(1500);
      await stage.drain();
      assert.equal(out.json.length, 2);
      assert.match(JSON.parse(out.json[0]).message, /SocketTimeoutException[\s\S]*12 more$/);
      assert.equal(stage.held, 0);
    } finally {
      await host.close();
    }
  });

  it('gives the edge a thread per two cores, at most 4, none on one core, or what edge.threads says', () => {
    const auto = fileInputConfig('    format: json');
    assert.deepEqual(
      [1, 2, 3, 4, 8, 32].map((cores) => edgeThreadsFor(auto, cores)),
      [0, 1, 1, 2, 4, 4],
    );
    assert.equal(edgeThreadsFor(fileInputConfig('', 'edge: { threads: 3 }'), 2), 3);
    assert.equal(edgeThreadsFor(fileInputConfig('', 'edge: { threads: 0 }'), 8), 0);
    assert.equal(edgeThreadsFor(fileInputConfig('    format: json\n    parse: server'), 8), 0);
  });
});
