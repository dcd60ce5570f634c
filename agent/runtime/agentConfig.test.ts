// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConfigError } from '../../core/config/configError.ts';
import { describeConfig, loadAgentConfig } from './agentConfig.ts';

const EXAMPLE = new URL('../../deploy/examples/agent.yaml', import.meta.url).pathname;

describe('agent config at start-up and --check-config', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-agent-config-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function problems(yaml: string, env: Record<string, string> = {}): Promise<string[]> {
    const path = join(dir, 'agent.yaml');
    await writeFile(path, yaml);
    const error = await loadAgentConfig(path, env).then(
      () => assert.fail('expected the config to be refused'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof ConfigError);
    assert.ok(error.message.includes(`${path}:`), 'the message names the file and line');
    return error.problems.map((p) => `${p.line} ${p.path}: ${p.message}`);
  }

  it('accepts the example agent.yaml shipped in deploy/examples', async () => {
    const config = await loadAgentConfig(EXAMPLE, { SLUICE_KEY: 'k-test' });
    assert.equal(config.inputs.length, 4);
    assert.equal(config.gateway.api_key, 'k-test');
    assert.match(describeConfig(EXAMPLE, config), /: OK\n/);
  });

  it('lists every schema mistake at once, each with its line', async () => {
    const found = await problems(
      [
        'gateway: { url: ftp://logs, compression: brotli }', // 1
        'batch: { max_evnts: 10, max_wait: soon }', // 2
        'spool: { max_bytes: lots }', // 3
        'inputs:', // 4
        '  - type: file', // 5
        '    paths: []', // 6
        '    format: xml', // 7
        "    multiline: { start: '(' }", // 8
        '  - type: socket', // 9
        'mask: { builtin: [passwords] }', // 10
        'metrics: { listen: everywhere }', // 11
      ].join('\n'),
    );
    const lines = found.map((p) => Number(p.split(' ')[0]));
    for (const line of [1, 2, 3, 5, 6, 7, 8, 9, 10, 11])
      assert.ok(lines.includes(line), `no problem on line ${line}: ${found.join('\n')}`);
    assert.ok(found.some((p) => p.includes('did you mean "max_events"')));
  });

  it('refuses a second stdin input at its line', async () => {
    const found = await problems(
      'inputs:\n  - { type: stdin, service: a }\n  - type: stdin\n    service: b\n',
    );
    assert.deepEqual(found, ['3 inputs[1].type: only one stdin input can read standard input']);
  });

  it('reports YAML syntax errors and unset variables with their lines', async () => {
    assert.match((await problems('inputs:\n  - type: file\n   paths: [a\n'))[0], /YAML syntax/);
    assert.deepEqual(await problems('gateway:\n  api_key: ${NOPE}\n'), [
      '2 gateway.api_key: environment variable NOPE is not set: set it, or give a default with ${NOPE:-value}',
    ]);
  });
});
