import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import { describe, it } from 'node:test';
import { UUID_PATTERN } from '../../core/ids/uuidv7.ts';
import type { ShipRecord } from '../ship/shipRecord.ts';
import { agentConfig, eventsOf, fileInputConfig, fixture, linesOf } from './pipeline.testkit.ts';
import { createPipeline, type PipelineDeps } from './pipeline.ts';

const NO_K8S: PipelineDeps = { env: {}, hostname: 'node-7' };

function run(yamlInput: string, text: string | Buffer, deps: PipelineDeps = NO_K8S, top = '') {
  const config = fileInputConfig(yamlInput, top);
  const edge = createPipeline(config.inputs[0], config, deps);
  const out: ShipRecord[] = [];
  edge.push(linesOf(text), 1000, out);
  edge.drain(out);
  return { out, events: eventsOf(out), edge };
}

const DATE_START = "    multiline: { start: '^\\d{4}-\\d{2}-\\d{2} ' }";

describe('pipeline: multi-line events', () => {
  it('turns the Java stack trace fixture into one event per logged record', () => {
    const { events } = run(DATE_START, fixture('java.multiline.log'));
    assert.equal(events.length, 2);
    const [trace, ok] = events;
    assert.match(trace.message, /^2026-11-23 12:00:00,101 ERROR .* charge failed/);
    assert.match(trace.message, /\njava\.net\.SocketTimeoutException: Read timed out\n/);
    assert.match(trace.message, /\nCaused by: java\.io\.IOException: connection reset\n\t\.\.\. 12 more$/);
    assert.equal(trace.level, 'error');
    assert.equal(trace.correlation_id, '0193f2c4-7b1e-7cc2-9a43-5d2e8f1a6b90');
    assert.match(ok.message, /charge ok order=A-1002$/);
    assert.equal(ok.level, 'info');
  });

  it('turns the Python traceback fixture into one event per logged record', () => {
    const { events } = run(DATE_START, fixture('python.traceback.log'));
    assert.deepEqual(
      events.map((e) => e.level),
      ['warn', 'error', 'info'],
    );
    assert.match(events[1].message, /task failed\nTraceback \(most recent call last\):\n/);
    assert.match(events[1].message, /\nValueError: bad input$/);
  });

  it('joins lines matching a continuation pattern onto the line before', () => {
    const { events } = run("    multiline: { continue: '^\\s' }", fixture('java.multiline.log'));
    // Unindented lines start events: the header, the exception, Caused by, and the next record.
    assert.deepEqual(
      events.map((e) => e.message.split('\n').length),
      [1, 4, 2, 1],
    );
  });

  it('gives a multi-line event the byte range of all its lines', () => {
    const text = fixture('java.multiline.log');
    const { out } = run(DATE_START, text);
    const second = Buffer.byteLength(text.slice(0, text.indexOf('2026-11-23 12:00:00,305')));
    assert.deepEqual(
      out.map((r) => [r.offset, r.next]),
      [
        [0, second],
        [second, Buffer.byteLength(text)],
      ],
    );
  });

  it('holds the last event until its timeout passes, then tick hands it on', () => {
    const config = fileInputConfig(`${DATE_START.slice(0, -2)}, timeout: 1s }`);
    const edge = createPipeline(config.inputs[0], config, NO_K8S);
    const out: ShipRecord[] = [];
    edge.push(linesOf(fixture('java.multiline.log')), 1000, out);
    assert.equal(out.length, 1, 'the trace is complete once the next record starts');
    assert.equal(edge.held, 1);
    edge.tick(1999, out);
    assert.equal(out.length, 1, 'not before the timeout');
    edge.tick(2000, out);
    assert.equal(out.length, 2);
    assert.equal(edge.held, 0);
    assert.match(eventsOf(out)[1].message, /charge ok/);
  });

  it('never hands out a line still held, so no checkpoint can pass it', () => {
    const text = fixture('python.traceback.log');
    const config = fileInputConfig(DATE_START);
    const edge = createPipeline(config.inputs[0], config, NO_K8S);
    const out: ShipRecord[] = [];
    edge.push(linesOf(text), 1000, out);
    const held = Buffer.byteLength(text.slice(0, text.lastIndexOf('2026-11-23 12:00:02,100')));
    assert.deepEqual(
      out.map((r) => [r.offset, r.next]),
      [
        [0, out[0].next],
        [out[0].next, held],
      ],
      'what was handed on ends exactly where the held event starts',
    );
  });

  it('keeps the files of one input apart when their lines interleave', () => {
    const config = fileInputConfig(DATE_START);
    const edge = createPipeline(config.inputs[0], config, NO_K8S);
    const a = linesOf(fixture('java.multiline.log'), { fileId: 'a', source: '/var/log/a.log' });
    const b = linesOf(fixture('python.traceback.log'), { fileId: 'b', source: '/var/log/b.log' });
    const interleaved = a.flatMap((line, i) => (b[i] === undefined ? [line] : [line, b[i]]));
    interleaved.push(...b.slice(a.length));
    const out: ShipRecord[] = [];
    edge.push(interleaved, 1000, out);
    edge.drain(out);
    assert.deepEqual(out.filter((r) => r.fileId === 'a').length, 2);
    assert.deepEqual(out.filter((r) => r.fileId === 'b').length, 3);
    assert.ok(eventsOf(out).every((e) => !(e.message.includes('Traceback') && e.message.includes('java.'))));
  });

  it('flags the two halves of an event cut at max_lines', () => {
    const lines = `2026-11-23 12:00:00,000 ERROR boom\n${'\tat x\n'.repeat(5)}`;
    const { events } = run(`${DATE_START.slice(0, -2)}, max_lines: 3 }`, lines);
    assert.deepEqual(
      events.map((e) => [
        e.message.split('\n').length,
        e.attrs['sluice.multiline_cut'],
        e.attrs['sluice.continued'],
      ]),
      [
        [3, true, undefined],
        [3, undefined, true],
      ],
    );
  });
});

describe('pipeline: formats', () => {
  it('keeps a malformed JSON line as a plain message flagged with the parse error', () => {
    const { events, edge } = run(
      '    format: json',
      '{"level":"warn","msg":"disk low"}\n{"level":"warn","msg": oops}\n',
    );
    assert.equal(events[0].message, 'disk low');
    assert.equal(events[0].level, 'warn');
    assert.equal(events[0].attrs['sluice.parse_error'], undefined);
    assert.equal(events[1].message, '{"level":"warn","msg": oops}');
    assert.match(String(events[1].attrs['sluice.parse_error']), /^json: /);
    assert.equal(edge.stats().parseErrors, 1);
  });

  it('normalizes the JSON fixture: aliases, nested fields, correlation ids', () => {
    const { events } = run('    format: json', fixture('app.json.log'));
    const payment = events.find((e) => e.message === 'payment gateway timeout after 3000 ms');
    assert.ok(payment);
    assert.equal(payment.level, 'error');
    assert.equal(payment.service, 'payments');
    assert.equal(payment.ts, '2026-11-23T12:00:00.210Z');
    assert.equal(payment.correlation_id, '0193f2c4-7b1e-7cc2-9a43-5d2e8f1a6b90');
    assert.equal(payment.attrs['error.code'], 504);
  });

  it('parses logfmt and regex lines into fields', () => {
    const logfmt = run('    format: logfmt', 'level=error msg="stock unavailable" sku=SKU-42 code=409\n')
      .events[0];
    assert.deepEqual(
      [logfmt.level, logfmt.message, logfmt.attrs.sku, logfmt.attrs.code],
      ['error', 'stock unavailable', 'SKU-42', 409],
    );
    const regex = run(
      "    format: regex\n    pattern: '^(?<level>[A-Z]+) (?<http__status>\\d+) (?<msg>.*)$'",
      'WARN 504 upstream slow cid=abc-123\n',
    ).events[0];
    assert.deepEqual(
      [regex.level, regex.message, regex.attrs['http.status'], regex.correlation_id],
      ['warn', 'upstream slow cid=abc-123', 504, 'abc-123'],
    );
  });
});

describe('pipeline: event ids', () => {
  const line = '{"id":"order-42","msg":"paid"}\n{"id":"order-42","msg":"shipped"}\n';

  it('derives the id from the file id and offset: the same after a restart, distinct per line', () => {
    const first = run('    format: json', line).events;
    const again = run('    format: json', line).events;
    assert.match(first[0].id, UUID_PATTERN);
    assert.deepEqual(
      first.map((e) => e.id),
      again.map((e) => e.id),
    );
    assert.notEqual(first[0].id, first[1].id);
    const otherFile = createPipeline(
      fileInputConfig('    format: json').inputs[0],
      fileInputConfig(),
      NO_K8S,
    );
    const out: ShipRecord[] = [];
    otherFile.push(linesOf(line, { fileId: 'file-2' }), 1000, out);
    assert.notEqual(eventsOf(out)[0].id, first[0].id);
  });

  it("keeps the application's own id as an attribute instead of using it", () => {
    const events = run('    format: json', line).events;
    assert.deepEqual(
      events.map((e) => e.attrs.id),
      ['order-42', 'order-42'],
    );
    assert.ok(events.every((e) => e.id !== 'order-42'));
    const mongo = run('    format: json', '{"_id":"65f0c1","msg":"saved"}\n').events[0];
    assert.equal(mongo.attrs._id, '65f0c1');
    assert.match(mongo.id, UUID_PATTERN);
  });
});

describe('pipeline: enrichment', () => {
  it('fills service, host and env defaults and adds static fields without overriding the line', () => {
    const { events } = run(
      '    format: json\n    fields: { team: payments, region: us-east-1 }',
      '{"msg":"a","region":"eu-central-1"}\n{"msg":"b","service":"billing","env":"staging"}\n',
      NO_K8S,
      'enrich: { fields: { env: prod, region: eu-west-1, tier: gold } }',
    );
    const [a, b] = events;
    assert.deepEqual([a.service, a.host, a.env], ['checkout', 'node-7', 'prod']);
    assert.deepEqual([a.attrs.team, a.attrs.tier], ['payments', 'gold']);
    assert.equal(a.attrs.region, 'eu-central-1', "the line's own value wins");
    assert.equal(a.attrs.env, undefined, 'env is an event field, not an attribute');
    assert.deepEqual([b.service, b.env], ['billing', 'staging']);
    assert.equal(a.attrs['log.file.path'], '/var/log/app.log');
  });

  it('adds Kubernetes metadata from the downward-API environment inside a pod', () => {
    const env = {
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      POD_NAME: 'checkout-7d9f-x2',
      POD_NAMESPACE: 'shop',
      NODE_NAME: 'node-3',
      K8S_CLUSTER_NAME: 'eu-1',
    };
    const { events } = run('', 'hello\n', { env, hostname: 'checkout-7d9f-x2' });
    assert.equal(events[0].attrs['k8s.pod.name'], 'checkout-7d9f-x2');
    assert.equal(events[0].attrs['k8s.namespace.name'], 'shop');
    assert.equal(events[0].attrs['k8s.node.name'], 'node-3');
    assert.equal(events[0].attrs['k8s.cluster.name'], 'eu-1');
    assert.equal(events[0].host, 'node-3', 'the node, not the pod, is the host');
  });

  it('adds no Kubernetes metadata outside a pod (auto) or when turned off', () => {
    const outside = run('', 'hello\n', { env: { POD_NAME: 'p' }, hostname: 'h' }).events[0];
    assert.equal(outside.attrs['k8s.pod.name'], undefined);
    const off = run(
      '',
      'hello\n',
      { env: { KUBERNETES_SERVICE_HOST: 'x', POD_NAME: 'p' }, hostname: 'h' },
      'enrich: { kubernetes: off }',
    );
    assert.equal(off.events[0].attrs['k8s.pod.name'], undefined);
    const on = run('', 'hello\n', { env: { POD_NAME: 'p' }, hostname: 'h' }, 'enrich: { kubernetes: on }');
    assert.equal(on.events[0].attrs['k8s.pod.name'], 'p');
  });

  it("names the pod of a kubelet log file from its path, over the agent's own pod", () => {
    const config = agentConfig(
      'inputs: [{ type: file, paths: ["/var/log/containers/*.log"], service: k8s }]',
    );
    const edge = createPipeline(config.inputs[0], config, {
      env: { KUBERNETES_SERVICE_HOST: 'x', POD_NAME: 'sluice-agent-abc', NODE_NAME: 'node-3' },
    });
    const source = `/var/log/containers/web-5c7d_shop_nginx-${'ab'.repeat(32)}.log`;
    const out: ShipRecord[] = [];
    edge.push(linesOf('GET /\n', { source }), 1000, out);
    const attrs = eventsOf(out)[0].attrs;
    assert.deepEqual(
      [
        attrs['k8s.pod.name'],
        attrs['k8s.namespace.name'],
        attrs['k8s.container.name'],
        attrs['k8s.node.name'],
      ],
      ['web-5c7d', 'shop', 'nginx', 'node-3'],
    );
  });
});

describe('pipeline: masking', () => {
  const corpus = fixture('../masking/cases.jsonl')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { name: string; input: string; secrets: string[] });

  for (const format of ['plain', 'json', 'logfmt'] as const) {
    it(`lets no secret of the masking corpus through in what it ships (format ${format})`, () => {
      const text =
        format === 'json'
          ? corpus.map((c) => JSON.stringify({ msg: c.input, case: c.name })).join('\n')
          : corpus.map((c) => c.input.replace(/\n/g, ' ')).join('\n');
      const { out } = run(`    format: ${format}`, `${text}\n`);
      assert.equal(out.length, corpus.length);
      const shipped = out.map((r) => r.json).join('\n');
      // The wire carries JSON: look for each secret as written and as JSON escapes it.
      for (const c of corpus) {
        for (const secret of c.secrets) {
          assert.ok(!shipped.includes(secret), `${c.name}: ${secret} was shipped`);
          assert.ok(
            !shipped.includes(JSON.stringify(secret).slice(1, -1)),
            `${c.name}: ${secret} was shipped`,
          );
        }
      }
    });
  }

  it('masks what only parsing reveals: escaped JSON keys and regex groups named after secrets', () => {
    const json = run('    format: json', '{"msg":"login","pass\\u0077ord":"hunter2-json"}\n').out[0].json;
    assert.ok(!json.includes('hunter2-json'), json);
    const regex = run(
      "    format: regex\n    pattern: '^(?<user>\\S+) (?<password>\\S+) (?<msg>.*)$'",
      'alice hunter2-regex logged in\n',
    ).out[0].json;
    assert.ok(!regex.includes('hunter2-regex'), regex);
  });

  it('masks before parsing, so no secret becomes a key or a lifted field', () => {
    const { out } = run(
      '    format: logfmt',
      'call Authorization: Bearer abcdefghijklmnop0123456789 status=401\n',
    );
    assert.ok(!out[0].json.includes('abcdefghijklmnop0123456789'), out[0].json);
    assert.equal(eventsOf(out)[0].attrs.status, 401);
  });
});

describe('pipeline: bad input', () => {
  it('ships invalid UTF-8 as replacement characters in valid JSON', () => {
    const { out } = run('', Buffer.from([0x6f, 0x6b, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a]));
    assert.equal(eventsOf(out)[0].message, 'ok \ufffd\ufffd\ufffd(');
  });

  it('keeps NUL bytes, escaped in the JSON', () => {
    const { out } = run('', 'a\u0000b\u0000\n');
    assert.ok(out[0].json.includes('a\\u0000b\\u0000'));
    assert.equal(eventsOf(out)[0].message, 'a\u0000b\u0000');
  });

  it('cuts a 10 MB line to max_line_bytes and says how long it was', () => {
    const huge = `{"msg":"${'x'.repeat(10 * 1024 * 1024)}"}\n`;
    const config = fileInputConfig('    format: json\n    max_line_bytes: 1MiB');
    const edge = createPipeline(config.inputs[0], config, NO_K8S);
    const out: ShipRecord[] = [];
    edge.push(linesOf(huge, { maxLineBytes: config.inputs[0].max_line_bytes }), 1000, out);
    const event = eventsOf(out)[0];
    assert.equal(event.attrs['sluice.truncated'], true);
    assert.equal(event.attrs['sluice.original_bytes'], Buffer.byteLength(huge) - 1);
    assert.ok(Buffer.byteLength(event.message) <= 1024 * 1024);
    assert.match(String(event.attrs['sluice.parse_error']), /^json: /, 'the cut JSON no longer parses');
    assert.deepEqual([out[0].offset, out[0].next], [0, Buffer.byteLength(huge)]);
  });

  it('flags a line that came without its newline as partial', () => {
    const { events } = run('', 'complete\nno newline yet');
    assert.deepEqual(
      events.map((e) => e.attrs['sluice.partial']),
      [undefined, true],
    );
  });

  it('leaves blank lines out and reports their bytes so the checkpoint can pass them', () => {
    const skipped: Array<[string, number, number]> = [];
    const { events, edge } = run('', 'a\n\nb\n', {
      ...NO_K8S,
      onSkipped: (fileId, offset, next) => skipped.push([fileId, offset, next]),
    });
    assert.deepEqual(
      events.map((e) => e.message),
      ['a', 'b'],
    );
    assert.deepEqual(skipped, [['file-1', 2, 3]]);
    assert.equal(edge.stats().skipped, 1);
  });
});
