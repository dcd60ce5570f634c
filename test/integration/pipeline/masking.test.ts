/**
 * Masking on the agent-less path: a service posts straight to the gateway, which masks nothing (the bus
 * holds what was sent); the processor masks before anything is stored. Every case of the masking corpus
 * (test/fixtures/masking/cases.jsonl) goes in as a message and as attribute values (a flat one and a
 * nested object's); afterwards no secret is in OpenSearch (documents or indexed tokens), PostgreSQL or
 * the Parquet files, and every `keep` text is still in OpenSearch and the archive.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { tokenize } from '../../../core/query/tokenize.ts';
import {
  ALL_ENGINES,
  engineSettings,
  type Isolation,
  isolate,
  requireEngines,
} from '../../helpers/engines.ts';
import { postBatch } from './harness/ingest.ts';
import { type Pipeline, startPipeline } from './harness/pipeline.ts';
import {
  type ArchiveFile,
  allDocs,
  archiveFiles,
  cellText,
  countDocs,
  countMatching,
  metricRows,
  readTopic,
  type SearchDoc,
} from './harness/stores.ts';
import { eventually } from './harness/verify.ts';
import { workloadStart } from './harness/workload.ts';

interface MaskingCase {
  name: string;
  input: string;
  secrets: string[];
  keep: string[];
}

const CASES: MaskingCase[] = readFileSync(
  new URL('../../fixtures/masking/cases.jsonl', import.meta.url),
  'utf8',
)
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as MaskingCase);

const TENANT = 'acme';
const ALL_SECRETS = CASES.flatMap((c) => c.secrets);

/** The texts of a stored event that carried the case's input: message, flat attribute, nested attribute. */
function carriers(event: { message?: unknown; attrs?: unknown }): string[] {
  const attrs = (typeof event.attrs === 'string' ? JSON.parse(event.attrs) : event.attrs) as Record<
    string,
    unknown
  >;
  return [event.message, attrs.note, attrs['detail.text']].map((v) => String(v));
}

/** A secret written as it would appear inside JSON text too (quotes and backslashes escaped). */
function spellings(secret: string): string[] {
  return [secret, JSON.stringify(secret).slice(1, -1)];
}

function leaks(text: string): string[] {
  return ALL_SECRETS.filter((secret) => spellings(secret).some((s) => text.includes(s)));
}

describe(`masking corpus (${CASES.length} cases) sent straight to the gateway`, () => {
  let isolation: Isolation;
  let pipeline: Pipeline | undefined;
  const ids = new Map<string, MaskingCase>();
  let docs: SearchDoc[];
  let files: ArchiveFile[];

  before(async () => {
    await requireEngines(...ALL_ENGINES);
    isolation = isolate('pipeline-masking');
    pipeline = await startPipeline({ isolation, tenants: [TENANT] });
    const start = workloadStart();
    const records = CASES.map((c, i) => {
      const id = `mask-${i}-${c.name}`;
      ids.set(id, c);
      return {
        id,
        ts: new Date(start + i * 1000).toISOString(),
        level: 'info',
        service: 'masking',
        message: c.input,
        note: c.input,
        detail: { text: c.input },
      };
    });
    await postBatch(pipeline.gateway.url, pipeline.keys.get(TENANT) as string, records);
    const url = engineSettings().opensearchUrl;
    const cache = new Map();
    const sql = await isolation.sql();
    await eventually(
      'the corpus did not reach every store',
      async () => {
        const problems: string[] = [];
        const count = await countDocs(url, isolation.indexPrefix);
        if (count !== CASES.length) problems.push(`OpenSearch: ${count} of ${CASES.length} documents`);
        files = await archiveFiles(isolation.s3(), isolation.bucket, cache);
        const rows = files.reduce((n, f) => n + f.rows.length, 0);
        if (rows !== CASES.length) problems.push(`archive: ${rows} of ${CASES.length} rows`);
        const logs = (await metricRows(sql))
          .filter((r) => r.name === 'log_count')
          .reduce((n, r) => n + r.value, 0);
        if (logs !== CASES.length) problems.push(`metrics: log_count adds up to ${logs} of ${CASES.length}`);
        return problems;
      },
      { context: () => pipeline?.logs() ?? '' },
    );
    docs = await allDocs(url, isolation.indexPrefix);
  });

  after(async () => {
    await pipeline?.stop();
    await isolation?.cleanup();
  });

  it('reached the bus unmasked: the gateway stores what it was sent, so the stores below prove the processor masks', async () => {
    const raw = await readTopic(
      isolation.kafka(),
      `${isolation.topicPrefix}logs.raw`,
      `${isolation.groupPrefix}raw`,
    );
    assert.equal(raw.length, CASES.length);
    for (const record of raw) {
      const c = ids.get(record.value.id as string) as MaskingCase;
      for (const secret of c.secrets)
        assert.ok(JSON.stringify(record.value).includes(JSON.stringify(secret).slice(1, -1)));
    }
  });

  it('leaves no secret in OpenSearch documents, and keeps every keep text in message and attributes', () => {
    assert.equal(docs.length, CASES.length);
    for (const doc of docs) {
      const c = ids.get(doc._id) as MaskingCase;
      assert.ok(c, `unexpected document ${doc._id}`);
      assert.deepEqual(leaks(JSON.stringify(doc._source)), [], `${c.name}: ${JSON.stringify(doc._source)}`);
      for (const text of carriers(doc._source))
        for (const keep of c.keep) assert.ok(text.includes(keep), `${c.name}: "${keep}" lost in ${text}`);
    }
  });

  it('leaves no secret in the indexed tokens: a phrase search for a secret finds nothing, one for a keep text finds it', async () => {
    const phrase = (text: string) => ({ match_phrase: { 'search.tokens': tokenize(text).join(' ') } });
    const secrets: Record<string, unknown> = {};
    const keeps: Record<string, unknown> = {};
    for (const c of CASES) {
      c.secrets.forEach((text, i) => {
        if (tokenize(text).length > 0) secrets[`${c.name} secret ${i}: ${text}`] = phrase(text);
      });
      c.keep.forEach((text, i) => {
        if (tokenize(text).length > 0) keeps[`${c.name} keep ${i}: ${text}`] = phrase(text);
      });
    }
    const url = engineSettings().opensearchUrl;
    const found = await countMatching(url, isolation.indexPrefix, secrets);
    assert.deepEqual(
      Object.keys(found).filter((name) => found[name] > 0),
      [],
      'secrets still searchable',
    );
    const kept = await countMatching(url, isolation.indexPrefix, keeps);
    assert.deepEqual(
      Object.keys(kept).filter((name) => kept[name] === 0),
      [],
      'keep texts not searchable',
    );
    assert.equal(Object.keys(kept).length, Object.keys(keeps).length);
  });

  it('leaves no secret in PostgreSQL', async () => {
    const rows = await metricRows(await isolation.sql());
    assert.ok(rows.length > 0);
    for (const row of rows) assert.deepEqual(leaks(JSON.stringify(row)), [], JSON.stringify(row));
  });

  it('leaves no secret in the Parquet files, and keeps every keep text', () => {
    const rows = files.flatMap((f) => f.rows);
    assert.equal(rows.length, CASES.length);
    for (const row of rows) {
      const c = ids.get(cellText(row.id)) as MaskingCase;
      const text = Object.values(row).map(cellText).join('\n');
      assert.deepEqual(leaks(text), [], `${c.name}: ${text}`);
      for (const carrier of carriers({ message: row.message, attrs: cellText(row.attrs) }))
        for (const keep of c.keep)
          assert.ok(carrier.includes(keep), `${c.name}: "${keep}" lost in ${carrier}`);
    }
  });
});
