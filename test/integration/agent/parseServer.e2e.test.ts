/**
 * `parse: server` end to end: the real agent ships the same JSON lines from two files, one input with
 * `parse: edge`, the other with `parse: server`, to a real standalone Sluice (gateway, embedded bus,
 * processor, SQLite search). The stored events of both files must be the same, field for field (ids,
 * observed times and the file path aside), and no secret of the masking corpus may be stored.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LogEvent } from '../../../core/event/types.ts';
import { type NodeProcess, spawnNode, waitUntil } from '../../helpers/nodeProcess.ts';
import { type StandaloneSluice, startStandalone } from '../../helpers/standalone.ts';
import { queryClient } from '../e2e/harness/api.ts';

const KEY = 'parse-server-key';

interface CorpusCase {
  input: string;
  secrets: string[];
}

const corpus: CorpusCase[] = readFileSync(
  new URL('../../fixtures/masking/cases.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as CorpusCase);

/** JSON lines of every shape the two paths could treat differently; each has its own `seq`. */
function lines(t0: number): string[] {
  const ts = (i: number) => new Date(t0 + i).toISOString();
  const out = corpus.map((c, i) =>
    JSON.stringify({ ts: ts(i), level: i % 3 === 0 ? 'WARNING' : 'info', msg: c.input, seq: i }),
  );
  let i = out.length;
  out.push(
    JSON.stringify({ ts: ts(i), msg: 'own id', id: 'A-1', seq: i++ }),
    JSON.stringify({ ts: ts(i), msg: 'own service', service: 'billing', seq: i++ }),
    JSON.stringify({
      time: t0 + i,
      lvl: 'error',
      log: 'nested',
      http: { status: 503, headers: { cookie: 'sid=s3cr3tSid; lang=en' } },
      seq: i++,
    }),
    JSON.stringify({
      ts: ts(i),
      msg: 'escaped',
      'pass\u0077ord': 'hunter2',
      note: 'a "quoted" word',
      seq: i++,
    }),
    JSON.stringify({
      ts: ts(i),
      message: 'attrs',
      attrs: { team: 'core' },
      correlation_id: 'req-77',
      seq: i++,
    }),
    `not json at all seq ${i++}`,
  );
  return out;
}

describe('parse: server end to end (agent → gateway → processor → search)', () => {
  let sluice: StandaloneSluice;
  let agent: NodeProcess;
  let stored: LogEvent[] = [];
  let expected: string[] = [];

  before(async () => {
    sluice = await startStandalone('parse-server', {
      keys: [{ name: 'shop', key: KEY, tenant: 'shop', roles: ['ingest', 'read'] }],
    });
    const { dir, url } = sluice;

    const logs = join(dir, 'logs');
    await mkdir(logs);
    expected = lines(Date.now() - 60_000);
    const text = `${expected.join('\n')}\n`;
    await writeFile(join(logs, 'edge.log'), text);
    await writeFile(join(logs, 'server.log'), text);
    const input = (name: string, parse: string) =>
      `  - { type: file, paths: [${JSON.stringify(join(logs, name))}], service: shop, format: json, parse: ${parse}, fields: { team: pay } }`;
    await writeFile(
      join(dir, 'agent.yaml'),
      [
        `gateway: { url: "${url}", api_key: "${KEY}", compression: zstd }`,
        `state_dir: ${JSON.stringify(join(dir, 'agent-state'))}`,
        'batch: { max_wait: 100ms }',
        'metrics: { listen: "127.0.0.1:0" }',
        'enrich: { kubernetes: off }',
        'inputs:',
        input('edge.log', 'edge'),
        input('server.log', 'server'),
        '',
      ].join('\n'),
    );
    agent = spawnNode('agent', ['agent/main.ts', '--config', join(dir, 'agent.yaml')]);
    const api = queryClient(url, KEY);
    const from = new Date(Date.now() - 3_600_000).toISOString();
    stored = await waitUntil(
      'both files stored',
      async () => {
        const hits = await api.searchAll({ from, source: 'hot' });
        return hits.length === 2 * expected.length ? hits : undefined;
      },
      60_000,
      () => `${agent.logTail(20)}\n${sluice.server.logTail(20)}`,
    );
  });

  after(async () => {
    await agent?.stop();
    await sluice?.stop();
  });

  it('stores the same events from both files', () => {
    const comparable = (e: LogEvent) => {
      const { 'log.file.path': path, ...attrs } = e.attrs;
      // A line without a time of its own takes the time it was read, which differs between the files.
      const ts = attrs['sluice.parse_error'] === undefined ? e.ts : '';
      return { ...e, id: '', observed_ts: '', ts, attrs, path };
    };
    const byFile = (name: string) =>
      stored
        .filter((e) => String(e.attrs['log.file.path']).endsWith(name))
        .map(comparable)
        .sort((a, b) => JSON.stringify(a.message).localeCompare(JSON.stringify(b.message)));
    const edge = byFile('edge.log');
    const server = byFile('server.log');
    assert.equal(edge.length, expected.length);
    assert.equal(server.length, expected.length);
    for (let i = 0; i < edge.length; i++)
      assert.deepEqual({ ...server[i], path: '' }, { ...edge[i], path: '' });
    assert.ok(
      server.some((e) => e.service === 'billing'),
      "a line's own service wins",
    );
    assert.ok(
      server.some((e) => e.attrs.id === 'A-1'),
      'the line keeps its own id as an attribute',
    );
  });

  it('stores no secret of the masking corpus', () => {
    const text = JSON.stringify(stored);
    for (const c of corpus)
      for (const secret of c.secrets) assert.ok(!text.includes(secret), `${secret} was stored`);
    assert.ok(!text.includes('s3cr3tSid'));
    assert.ok(!text.includes('hunter2'));
  });
});
