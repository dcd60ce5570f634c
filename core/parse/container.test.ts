import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCri, parseDocker, STREAM_ATTR } from './container.ts';
import { PARSE_ERROR_ATTR } from './types.ts';

describe('container log formats', () => {
  it('cri: keeps the stream, takes the runtime time when the line has none, parses JSON content', () => {
    const plain = parseCri('2026-12-07T08:00:00.123456789Z stderr F panic: out of memory');
    assert.equal(plain.message, 'panic: out of memory');
    assert.equal(plain.ts, '2026-12-07T08:00:00.123456789Z');
    assert.equal(plain[STREAM_ATTR], 'stderr');
    const json = parseCri(
      '2026-12-07T08:00:00Z stdout F {"level":"warn","msg":"slow","ts":"2026-12-07T07:59:59Z"}',
    );
    assert.equal(json.level, 'warn');
    assert.equal(json.msg, 'slow');
    assert.equal(json.ts, '2026-12-07T07:59:59Z', "the application's own time wins");
    assert.equal(json[STREAM_ATTR], 'stdout');
    assert.equal(parseCri('2026-12-07T08:00:00Z stdout F').message, '');
  });

  it('cri: a line not in the format is kept whole with the reason', () => {
    for (const line of ['just text', '2026-12-07T08:00:00Z stdout X hello', '']) {
      const record = parseCri(line);
      assert.equal(record.message, line);
      assert.match(String(record[PARSE_ERROR_ATTR]), /^cri: /);
    }
  });

  it('docker: the log field without its newline, the stream, the time', () => {
    const record = parseDocker(
      '{"log":"GET /health 200\\n","stream":"stdout","time":"2026-12-07T08:00:00.1Z"}',
    );
    assert.equal(record.message, 'GET /health 200');
    assert.equal(record.ts, '2026-12-07T08:00:00.1Z');
    assert.equal(record[STREAM_ATTR], 'stdout');
    const json = parseDocker(
      '{"log":"{\\"level\\":\\"error\\",\\"message\\":\\"boom\\"}\\n","stream":"stderr","time":"t"}',
    );
    assert.equal(json.level, 'error');
    assert.equal(json.message, 'boom');
    const broken = parseDocker('{"log": 5}');
    assert.match(String(broken[PARSE_ERROR_ATTR]), /^docker: /);
    assert.match(String(parseDocker('{"log":"x')[PARSE_ERROR_ATTR]), /^docker: /);
  });
});
