import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../core/config/configError.ts';
import { parseConfig } from '../../core/config/parseConfig.ts';
import { INPUT_KINDS } from '../inputs/table.ts';
import { type AgentConfig, agentConfigSchema } from './schema.ts';

function parse(text: string, env: Record<string, string> = {}): AgentConfig {
  return parseConfig(text, 'agent.yaml', agentConfigSchema, { env });
}

/** `line path: message` of each problem, for asserting on what the user is told. */
function problems(text: string): string[] {
  try {
    parse(text);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
  }
  return assert.fail('expected agent.yaml to be rejected');
}

describe('agent.yaml schema', () => {
  it('points an empty file at a standalone server with sane batching', () => {
    const config = parse('');
    assert.deepEqual(config.gateway, {
      url: 'http://127.0.0.1:8080',
      compression: 'gzip',
      tls: { insecure_skip_verify: false },
      timeout: 30_000,
      probe_interval: 1000,
      concurrency: 2,
    });
    assert.equal(config.state_dir, './data/agent');
    assert.deepEqual(config.batch, { max_events: 1000, max_bytes: 1_048_576, max_wait: 250 });
    assert.deepEqual(config.spool, { max_bytes: 1024 ** 3 });
    assert.deepEqual(config.inputs, []);
    assert.deepEqual(config.enrich, { fields: {}, kubernetes: 'auto' });
    assert.deepEqual(config.metrics, { listen: '127.0.0.1:9464' });
  });

  it('reads the example of contracts.md §4 with defaults filled per input', () => {
    const config = parse(
      `gateway: { url: https://logs.example.com, api_key: "\${SLUICE_KEY}", compression: gzip, tls: { ca_file: /etc/ca.pem } }
state_dir: /var/lib/sluice-agent
batch: { max_events: 1000, max_bytes: 1MiB, max_wait: 1s }
spool: { max_bytes: 1GiB }
inputs:
  - type: file
    paths: ["/var/log/app/*.log"]
    exclude: ["*.gz"]
    service: checkout
    format: json
    multiline: { start: '^\\d{4}-\\d{2}-\\d{2}', max_lines: 500, timeout: 1s }
    start_at: beginning
mask:
  builtin: [password, token, jwt, aws_key, private_key, credit_card, email]
  keys: [password, passwd, secret, token, api_key, authorization]
  rules: [ { name: ssn, pattern: '\\b\\d{3}-\\d{2}-\\d{4}\\b' } ]
enrich: { fields: { env: prod, region: eu-west-1 }, kubernetes: auto }
`,
      { SLUICE_KEY: 'k-123' },
    );
    assert.equal(config.gateway.api_key, 'k-123');
    assert.equal(config.gateway.tls.ca_file, '/etc/ca.pem');
    assert.deepEqual(config.inputs[0], {
      type: 'file',
      paths: ['/var/log/app/*.log'],
      exclude: ['*.gz'],
      service: 'checkout',
      format: 'json',
      parse: 'edge',
      multiline: { start: '^\\d{4}-\\d{2}-\\d{2}', max_lines: 500, timeout: 1000 },
      start_at: 'beginning',
      scan_interval: 1000,
      watch: true,
      poll_interval: 250,
      rotate_wait: 5000,
      max_open_files: 1024,
      fingerprint_bytes: 1024,
      read_chunk_bytes: 262_144,
      fields: {},
      max_line_bytes: 1_048_576,
      partial_line_timeout: 5000,
    });
    assert.equal(config.mask.builtin?.length, 7);
  });

  it('reads a stdin input with a regex pattern', () => {
    const config = parse(
      `inputs: [ { type: stdin, service: cron, format: regex, pattern: '^(?<level>\\w+) (?<message>.*)$' } ]`,
    );
    assert.equal(config.inputs[0].type, 'stdin');
    assert.equal(config.inputs[0].pattern, '^(?<level>\\w+) (?<message>.*)$');
  });

  it('checks that patterns compile and that regex parsing has named groups', () => {
    assert.deepEqual(
      problems(`inputs:
  - { type: stdin, service: a, format: regex, pattern: '^(\\w+)' }
  - { type: stdin, service: b, format: regex }
  - { type: stdin, service: c, pattern: '(?<x>.)' }
  - { type: stdin, service: d, multiline: { start: '(' } }`),
      [
        '2 inputs[0].pattern: expected a regular expression with named groups such as (?<level>\\w+) for the fields to extract, found "^(\\w+)"',
        '3 inputs[1].pattern: required with format: regex, found nothing',
        '4 inputs[2].pattern: only used with format: regex; remove it or set format: regex, found "(?<x>.)"',
        '5 inputs[3].multiline.start: expected a regular expression, found "(": Invalid regular expression: /(/: Unterminated group',
      ],
    );
  });

  it('parses at the edge by default and refuses parse: server for regex inputs', () => {
    assert.equal(parse('inputs: [ { type: stdin, service: a, format: json } ]').inputs[0].parse, 'edge');
    assert.equal(parse('inputs: [ { type: stdin, service: a, parse: server } ]').inputs[0].parse, 'server');
    assert.deepEqual(
      problems(`inputs: [ { type: stdin, service: a, format: regex, pattern: '(?<m>.*)', parse: server } ]`),
      [
        '1 inputs[0].parse: parse: server takes format json, logfmt, plain; format regex parses at the edge only, remove parse: server, found "server"',
      ],
    );
  });

  it('wants exactly one of multiline start or continue', () => {
    assert.deepEqual(problems('inputs: [ { type: stdin, service: a, multiline: { max_lines: 5 } } ]'), [
      '1 inputs[0].multiline: expected exactly one of start or continue',
    ]);
  });

  it('tells the user what is wrong with inputs, batching and the gateway', () => {
    assert.deepEqual(
      problems(`gateway:
  url: logs.example.com
  compression: brotli
batch:
  max_evnts: 500
  max_wait: 5 parsecs
inputs:
  - type: files
  - type: file
    paths: []
    service: web
    start_at: middle`),
      [
        '2 gateway.url: expected a URL such as https://logs.example.com, found "logs.example.com"',
        '3 gateway.compression: expected one of "gzip", "zstd", "none", found "brotli"',
        '5 batch.max_evnts: unknown key "max_evnts" — did you mean "max_events"?',
        '6 batch.max_wait: expected a duration such as 500ms, 30s, 5m, 7d, found "5 parsecs": unknown unit "parsecs" (units: ns, us, ms, s, m, h, d, w)',
        // Every kind of the input table, in its order.
        `8 inputs[0].type: expected one of ${INPUT_KINDS.map((k) => `"${k.type}"`).join(', ')}, found "files"`,
        '10 inputs[1].paths: expected at least 1 item(s)',
        '12 inputs[1].start_at: expected one of "beginning", "end", found "middle"',
      ],
    );
  });

  it('suggests keys of the input type that was chosen', () => {
    assert.deepEqual(problems('inputs: [ { type: file, path: [a], service: s } ]'), [
      '1 inputs[0].paths: required key is missing',
      '1 inputs[0].path: unknown key "path" — did you mean "paths"?',
    ]);
  });
});
