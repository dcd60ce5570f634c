/**
 * `parse: server` against `parse: edge`: the same lines through the agent's pipeline, the gateway's
 * normalizing and the processor's stage for unparsed lines make the same events (ids aside), for the
 * fixture logs and for random JSON lines full of secrets. That is also the proof that the agent's one
 * masking pass for such lines equals the edge's two: any value the second pass would still have masked
 * makes the events differ. Pure logic (no engines); the end-to-end run is in parseServer.e2e.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { AgentConfig } from '../../../agent/config/schema.ts';
import { agentConfig, linesOf, recordsOf } from '../../../agent/pipeline/pipeline.testkit.ts';
import { createPipeline, type Pipeline } from '../../../agent/pipeline/pipeline.ts';
import { RecordsEncoder } from '../../../agent/pipeline/worker/messages.ts';
import type { ShipRecord } from '../../../agent/ship/shipRecord.ts';
import { shippedParseStage } from '../../../backend/processor/stages/shipped.ts';
import { normalizeRecord } from '../../../core/event/normalize.ts';
import type { LogEvent } from '../../../core/event/types.ts';
import { UUID_PATTERN } from '../../../core/ids/uuidv7.ts';

const READ_AT = Date.UTC(2026, 11, 7, 8, 0, 0);
const ARRIVED_AT = READ_AT + 1500;

/** Lines → the events the stores get, through the agent with `parse` set, the gateway and the processor. */
function stored(format: string, parse: 'edge' | 'server', text: string): LogEvent[] {
  const config = agentConfig(
    `inputs:\n  - { type: file, paths: [/var/log/app.log], service: checkout, format: ${format}, parse: ${parse}, fields: { team: pay } }\n`,
  );
  const records = shipped(pipelineOf(config), text);
  const received = records.map((r) => {
    const result = normalizeRecord(JSON.parse(r.json), { tenant: 'acme', observedMs: ARRIVED_AT });
    if (!result.ok) throw new Error(`the gateway refused ${r.json}: ${result.reason}`);
    return result.event;
  });
  return shippedParseStage()(received);
}

function pipelineOf(config: AgentConfig): Pipeline {
  return createPipeline(config.inputs[0], config, { env: {}, hostname: 'node-7' });
}

/**
 * The records the agent ships for `text`: through the records encoder its pipeline stage writes into,
 * where `parse: server` writes most lines straight from their bytes.
 */
function shipped(pipeline: Pipeline, text: string): ShipRecord[] {
  const encoder = new RecordsEncoder();
  pipeline.push(linesOf(text), READ_AT, encoder);
  pipeline.drain(encoder);
  return recordsOf(encoder.finish().block);
}

/** The same through the string way only (an array takes no bytes): what shipped() must equal. */
function shippedAsStrings(pipeline: Pipeline, text: string): ShipRecord[] {
  const out: ShipRecord[] = [];
  pipeline.push(linesOf(text), READ_AT, out);
  pipeline.drain(out);
  return out;
}

function assertSame(format: string, text: string): void {
  const edge = stored(format, 'edge', text);
  const server = stored(format, 'server', text);
  assert.equal(server.length, edge.length);
  for (let i = 0; i < edge.length; i++) {
    assert.match(server[i].id, UUID_PATTERN);
    assert.deepEqual(
      { ...server[i], id: '' },
      { ...edge[i], id: '' },
      `line ${i + 1} of ${JSON.stringify(text)}`,
    );
  }
}

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/logs/${name}`, import.meta.url), 'utf8');
}

describe('parse: server writes lines from their bytes as it writes them from strings', () => {
  it('for random lines of secrets, quotes, backslashes, tabs and non-ASCII text, in every format', () => {
    const piece = fc.constantFrom(
      'msg',
      '"',
      '\\',
      '\\"',
      '\t',
      ' ',
      ':',
      '=',
      '{',
      '}',
      ',',
      'password=hunter2',
      '"password":"hunter2"',
      'token: abc123def',
      'Bearer abc.def-123',
      'jane@example.com',
      '4111 1111 1111 1111',
      'AKIAIOSFODNN7EXAMPLE',
      'service=cart',
      'my-app',
      'zwölf €',
      '🙂',
      'GET /x?id=1',
      '2026-11-23T12:00:00Z',
      'ok',
      'level',
      'ts',
    );
    const line = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));
    // Two pipelines per format, one per way, kept across runs as the agent keeps its own.
    const pipelines = ['json', 'logfmt', 'plain'].map((format) => {
      const config = agentConfig(
        `inputs:\n  - { type: file, paths: [/var/log/app.log], service: checkout, format: ${format}, parse: server }\n`,
      );
      return [pipelineOf(config), pipelineOf(config)];
    });
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 6 }), fc.nat(2), (lines, k) => {
        const text = `${lines.join('\n')}\n`;
        assert.deepEqual(shipped(pipelines[k][0], text), shippedAsStrings(pipelines[k][1], text));
      }),
      { numRuns: 500 },
    );
  });
});

describe('parse: server makes the events parse: edge makes', () => {
  it('for the fixture logs in every format the agent can ship unparsed', () => {
    assertSame('json', fixture('app.json.log'));
    assertSame('logfmt', fixture('app.logfmt.log'));
    assertSame('plain', fixture('java.multiline.log'));
  });

  it('for the masking corpus, as JSON lines, logfmt and plain text', () => {
    const cases = readFileSync(new URL('../../fixtures/masking/cases.jsonl', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as { input: string });
    const inputs = cases.map((c) => c.input.replaceAll('\n', ' '));
    assertSame('plain', `${inputs.join('\n')}\n`);
    assertSame('logfmt', `${inputs.join('\n')}\n`);
    assertSame('json', `${inputs.map((input, i) => JSON.stringify({ msg: input, seq: i })).join('\n')}\n`);
  });

  it('for random JSON lines with secrets under every kind of key (one masking pass equals two)', () => {
    const keys = fc.constantFrom(
      'msg',
      'message',
      'level',
      'ts',
      'user',
      'note',
      'password',
      'db.password',
      'password.hint',
      'pass',
      'token',
      'api_key',
      'auth',
      'oauth',
      'cookie',
      'set-cookie',
      'credentials',
      'session',
      'url',
      'id',
      'service',
      'host',
      'trace_id',
      'headers',
      'Authorization',
      'secret',
      'x',
      'card',
    );
    const words = fc.constantFrom(
      'hunter2',
      'secret: abc def',
      'password=abc def',
      'Bearer abc.def',
      'sid=abc; Path=/; HttpOnly',
      'jane@example.com',
      '4111 1111 1111 1111',
      'AKIAIOSFODNN7EXAMPLE',
      'token expired',
      'ok',
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_value-1',
      'key: value here',
      'postgres://u:pw@db/x',
      '2026-11-23T12:00:00Z',
      'warn',
      'a b',
      '',
      'GET /x?token=abc&y=1',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    );
    const scalar = fc.oneof(
      words,
      fc.integer(),
      fc.constant(4111111111111111),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.oneof(
      { weight: 4, arbitrary: scalar },
      { weight: 1, arbitrary: fc.dictionary(keys, scalar, { maxKeys: 3 }) },
      { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) },
    );
    const line = fc
      .dictionary(keys, value, { minKeys: 1, maxKeys: 6 })
      .map((r) => JSON.stringify({ msg: 'm', ...r }));
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 5 }), (lines) =>
        assertSame('json', `${lines.join('\n')}\n`),
      ),
      { numRuns: 300 },
    );
  });
});
