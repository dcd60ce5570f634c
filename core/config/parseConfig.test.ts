// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} here is config syntax, not a template.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as v from 'valibot';
import { durationSchema, sizeSchema } from '../units/schema.ts';
import { ConfigError } from './configError.ts';
import { loadConfig, parseConfig } from './parseConfig.ts';

const fileInput = v.strictObject({
  type: v.literal('file'),
  paths: v.array(v.string()),
  multiline: v.optional(v.strictObject({ start: v.string(), timeout: v.optional(durationSchema(), '1s') })),
});
const schema = v.strictObject({
  gateway: v.strictObject({
    url: v.string(),
    api_key: v.optional(v.string()),
    port: v.optional(v.number()),
    compression: v.optional(v.picklist(['gzip', 'zstd', 'none']), 'gzip'),
  }),
  batch: v.optional(
    v.strictObject({
      max_events: v.optional(v.number(), 1000),
      max_bytes: v.optional(sizeSchema(), '1MiB'),
      max_wait: v.optional(durationSchema(), '1s'),
    }),
    {},
  ),
  inputs: v.optional(
    v.array(v.variant('type', [fileInput, v.strictObject({ type: v.literal('stdin') })])),
    [],
  ),
});
const loose = v.strictObject({ gateway: v.optional(v.strictObject({ url: v.optional(v.string()) })) });

/** The problems ConfigError lists for `text`, as `line:column path: message`. */
function problems(
  text: string,
  env: Record<string, string> = {},
  against: v.GenericSchema = schema,
): string[] {
  try {
    parseConfig(text, 'agent.yaml', against, { env });
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    assert.equal(error.code, 'config_invalid');
    return error.problems.map((p) => `${p.line}:${p.column} ${p.path}: ${p.message}`);
  }
  assert.fail('expected the config to be rejected');
}

describe('parseConfig', () => {
  it('fills defaults and converts units in a minimal valid file', () => {
    const config = parseConfig('gateway:\n  url: http://x\n', 'agent.yaml', schema, { env: {} });
    assert.deepEqual(config, {
      gateway: { url: 'http://x', compression: 'gzip' },
      batch: { max_events: 1000, max_bytes: 1_048_576, max_wait: 1000 },
      inputs: [],
    });
  });

  it('reads an empty file as an empty mapping, so defaults apply', () => {
    assert.deepEqual(parseConfig('', 'agent.yaml', loose, { env: {} }), {});
    assert.deepEqual(parseConfig('# only a comment\n', 'agent.yaml', loose, { env: {} }), {});
  });

  it('reads an empty value as an absent key, so a section with every key commented out keeps its defaults', () => {
    const config = parseConfig(
      'gateway:\n  url: x\n  api_key:\nbatch:\n  # max_events: 5\n',
      'agent.yaml',
      schema,
      {
        env: {},
      },
    );
    assert.equal(config.gateway.api_key, undefined);
    assert.equal(config.batch.max_events, 1000);
    assert.deepEqual(problems('gateway:\n  url: ~\n'), ['2:3 gateway.url: required key has no value']);
  });

  it('merges shared settings with YAML merge keys', () => {
    const text = [
      'gateway: { url: x }',
      'inputs:',
      '  - &tail { type: file, paths: [/a], multiline: { start: "^x", timeout: 2s } }',
      '  - { <<: *tail, paths: [/b] }',
    ].join('\n');
    const config = parseConfig(text, 'agent.yaml', schema, { env: {} });
    assert.deepEqual(config.inputs[1], {
      type: 'file',
      paths: ['/b'],
      multiline: { start: '^x', timeout: 2000 },
    });
  });

  it('reports a YAML syntax error with its line and column', () => {
    assert.deepEqual(problems('gateway:\n  url: [a, b\nbatch: {}\n'), [
      '3:1 : YAML syntax: Flow sequence in block collection must be sufficiently indented and end with a ]',
    ]);
    assert.match(problems('a: 1\na: 2\n')[0], /^2:1 : YAML syntax: Map keys must be unique/);
  });

  it('suggests the closest key for a misspelled one, pointing at the key', () => {
    assert.deepEqual(problems('gateway: { url: x }\nbatch:\n  max_evnts: 5\n'), [
      '3:3 batch.max_evnts: unknown key "max_evnts" — did you mean "max_events"?',
    ]);
  });

  it('lists the valid keys when an unknown key is not close to any', () => {
    assert.deepEqual(problems('gateway: { url: x }\nbatch: { colour: red }\n'), [
      '2:10 batch.colour: unknown key "colour"; valid keys here: max_events, max_bytes, max_wait',
    ]);
  });

  it('reports every unknown key of a mapping, not only the first', () => {
    assert.deepEqual(problems('gateway: { url: x }\nbatch: { a: 1, max_wiat: 2 }\n'), [
      '2:10 batch.a: unknown key "a"; valid keys here: max_events, max_bytes, max_wait',
      '2:16 batch.max_wiat: unknown key "max_wiat" — did you mean "max_wait"?',
    ]);
  });

  it('reports a wrong type with what was expected and what was found', () => {
    assert.deepEqual(problems('gateway: { url: x }\nbatch:\n  max_events: lots\n'), [
      '3:15 batch.max_events: expected a number, found "lots"',
    ]);
    assert.deepEqual(problems('gateway: [1]\n'), [
      '1:10 gateway: expected a mapping (key: value), found a list of 1',
    ]);
  });

  it('suggests quotes when a number or boolean is given where text is expected', () => {
    assert.deepEqual(problems('gateway:\n  url: 12345\n'), [
      '2:8 gateway.url: expected a string, found 12345 (put it in quotes to keep it as text)',
    ]);
  });

  it('explains a bad duration and a bad size', () => {
    assert.deepEqual(problems('gateway: { url: x }\nbatch:\n  max_wait: 5 parsecs\n  max_bytes: 10M\n'), [
      '3:13 batch.max_wait: expected a duration such as 500ms, 30s, 5m, 7d, found "5 parsecs": unknown unit "parsecs" (units: ns, us, ms, s, m, h, d, w)',
      '4:14 batch.max_bytes: expected a size such as 512KiB, 10MB, 1GiB (or a number of bytes), found "10M": unit "M" is ambiguous: write 10MB (powers of 1000) or 10MiB (powers of 1024)',
    ]);
  });

  it('lists the allowed values of an enum', () => {
    assert.deepEqual(problems('gateway:\n  url: x\n  compression: brotli\n'), [
      '3:16 gateway.compression: expected one of "gzip", "zstd", "none", found "brotli"',
    ]);
  });

  it('reports a missing required key at the mapping it belongs in', () => {
    assert.deepEqual(problems('gateway:\n  compression: gzip\n'), [
      '1:1 gateway.url: required key is missing',
    ]);
    assert.deepEqual(problems(''), ['1:1 gateway: required key is missing']);
  });

  it('names the key path through lists and variants', () => {
    const text = [
      'gateway: { url: x }',
      'inputs:',
      '  - type: stdin',
      '  - type: file',
      '    paths: ["/a", 7]',
      '    multiline:',
      '      start: "^\\\\d"',
      '      timeout: soon',
      '  - type: socket',
    ].join('\n');
    assert.deepEqual(problems(text), [
      '5:19 inputs[1].paths[1]: expected a string, found 7 (put it in quotes to keep it as text)',
      '8:16 inputs[1].multiline.timeout: expected a duration such as 500ms, 30s, 5m, 7d, found "soon": cannot read "soon"',
      '9:11 inputs[2].type: expected one of "file", "stdin", found "socket"',
    ]);
  });

  it('lists every problem of the file in one message, in file order', () => {
    const error = (() => {
      try {
        parseConfig('batch:\n  max_evnts: 5\n  max_wait: 5 parsecs\n', 'agent.yaml', schema, { env: {} });
      } catch (caught) {
        return caught as ConfigError;
      }
      return assert.fail('expected a ConfigError');
    })();
    assert.equal(
      error.message,
      [
        'agent.yaml has 3 problems; fix them and start again:',
        '  agent.yaml:1:1 gateway: required key is missing',
        '  agent.yaml:2:3 batch.max_evnts: unknown key "max_evnts" — did you mean "max_events"?',
        '  agent.yaml:3:13 batch.max_wait: expected a duration such as 500ms, 30s, 5m, 7d, found "5 parsecs": unknown unit "parsecs" (units: ns, us, ms, s, m, h, d, w)',
      ].join('\n'),
    );
  });
});

describe('parseConfig environment references', () => {
  it('names an unset variable, its key path and its line', () => {
    assert.deepEqual(problems('gateway:\n  url: http://x\n  api_key: "${SLUICE_KEY}"\n'), [
      '3:12 gateway.api_key: environment variable SLUICE_KEY is not set: set it, or give a default with ${SLUICE_KEY:-value}',
    ]);
  });

  it('uses the default when the variable is unset', () => {
    const config = parseConfig('gateway:\n  url: ${URL:-http://127.0.0.1:8080}\n', 'agent.yaml', schema, {
      env: {},
    });
    assert.equal(config.gateway.url, 'http://127.0.0.1:8080');
  });

  it('keeps an environment value that looks like YAML as one string', () => {
    const env = { URL: '{ evil: true }\nbatch: [1]', KEY: '- a\n- b' };
    const config = parseConfig('gateway:\n  url: ${URL}\n  api_key: "${KEY}"\n', 'agent.yaml', schema, {
      env,
    });
    assert.equal(config.gateway.url, '{ evil: true }\nbatch: [1]');
    assert.equal(config.gateway.api_key, '- a\n- b');
    assert.deepEqual(config.batch.max_events, 1000);
  });

  it('reads an unquoted reference as the scalar it expands to, and a quoted one as text', () => {
    const config = parseConfig('gateway:\n  url: x\n  port: ${PORT}\n', 'agent.yaml', schema, {
      env: { PORT: '9000' },
    });
    assert.equal(config.gateway.port, 9000);
    assert.deepEqual(problems('gateway:\n  url: x\n  port: "${PORT}"\n', { PORT: '9000' }), [
      '3:9 gateway.port: expected a number, found "9000"',
    ]);
  });

  it('expands inside durations and sizes before they are read', () => {
    const config = parseConfig(
      'gateway: { url: x }\nbatch:\n  max_wait: ${WAIT:-2s}\n',
      'agent.yaml',
      schema,
      { env: {} },
    );
    assert.equal(config.batch.max_wait, 2000);
  });

  it('never expands keys', () => {
    assert.match(
      problems('gateway: { url: x }\nbatch: { "${K}": 1 }\n', { K: 'max_events' })[0],
      /unknown key "\$\{K\}"/,
    );
  });
});

describe('loadConfig', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-config-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads and validates a file, naming the file in problems', async () => {
    const path = join(dir, 'agent.yaml');
    await writeFile(path, 'gateway:\n  url: http://x\n');
    assert.equal((await loadConfig(path, schema, { env: {} })).gateway.url, 'http://x');
    await writeFile(path, 'gateway: { url: x, colour: red }\n');
    await assert.rejects(loadConfig(path, schema, { env: {} }), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.ok(error.message.includes(`\n  ${path}:1:20 gateway.colour: unknown key`), error.message);
      return true;
    });
  });

  it('says a file is missing and which path was tried', async () => {
    const path = join(dir, 'nope.yaml');
    await assert.rejects(loadConfig(path, schema), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.code, 'config_not_found');
      assert.ok(error.message.includes(`tried ${resolve(path)}`), error.message);
      return true;
    });
  });

  it('reads a missing optional file as empty', async () => {
    assert.deepEqual(await loadConfig(join(dir, 'nope.yaml'), loose, { optional: true }), {});
  });

  it('says when the path is not a readable file', async () => {
    await assert.rejects(loadConfig(dir, schema), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.code, 'config_unreadable');
      return true;
    });
  });
});
