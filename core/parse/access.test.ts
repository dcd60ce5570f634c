import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAccessLog } from './access.ts';
import { clfTimeToIso } from './clfTime.ts';
import { parseErrorOf } from './types.ts';

describe('nginx / apache access log parser', () => {
  it('reads the combined format with trailing key=value extras', () => {
    const line =
      '10.0.0.5 - alice [23/Nov/2026:12:00:00 +0100] "POST /orders?x=1 HTTP/1.1" 201 512 "https://shop/" "curl/8.5.0" rt=0.045 cid=c-1';
    assert.deepEqual(parseAccessLog(line), {
      rt: 0.045,
      cid: 'c-1',
      message: line,
      level: 'info',
      ts: '2026-11-23T12:00:00+01:00',
      remote_addr: '10.0.0.5',
      remote_user: 'alice',
      'http.method': 'POST',
      'http.path': '/orders?x=1',
      'http.protocol': 'HTTP/1.1',
      'http.status': 201,
      'http.response_bytes': 512,
      'http.referer': 'https://shop/',
      'http.user_agent': 'curl/8.5.0',
    });
  });

  it('derives the level from the status', () => {
    const at = (status: number) =>
      parseAccessLog(`::1 - - [23/Nov/2026:12:00:00 +0000] "GET / HTTP/1.1" ${status} 0 "-" "-"`).level;
    assert.deepEqual(
      [at(200), at(302), at(404), at(499), at(500), at(504)],
      ['info', 'info', 'warn', 'warn', 'error', 'error'],
    );
  });

  it('reads the common log format (Apache, no referer or agent) and `-` bytes', () => {
    const record = parseAccessLog(
      '127.0.0.1 ident frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 304 -',
    );
    assert.equal(record.ident, 'ident');
    assert.equal(record['http.status'], 304);
    assert.equal(Object.hasOwn(record, 'http.response_bytes'), false);
    assert.equal(record.ts, '2000-10-10T13:55:36-07:00');
  });

  it('keeps an odd request line whole and escaped quotes inside quoted parts', () => {
    const record = parseAccessLog(
      '1.2.3.4 - - [23/Nov/2026:12:00:00 +0000] "\\x16\\x03\\x01" 400 150 "-" "a \\"quoted\\" agent"',
    );
    assert.equal(record['http.request'], '\\x16\\x03\\x01');
    assert.equal(record['http.user_agent'], 'a \\"quoted\\" agent');
    assert.equal(record.level, 'warn');
  });

  it('does not let an extra override a fixed field', () => {
    const record = parseAccessLog(
      '1.2.3.4 - - [23/Nov/2026:12:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "-" http.status=500 level=error',
    );
    assert.equal(record['http.status'], 200);
    assert.equal(record.level, 'info');
  });

  it('keeps a line in another format as the message, flagged', () => {
    const record = parseAccessLog('not an access log');
    assert.equal(record.message, 'not an access log');
    assert.equal(parseErrorOf(record), 'access log: not in combined or common log format');
  });

  it('keeps an unreadable time as written', () => {
    assert.equal(clfTimeToIso('23/Foo/2026:12:00:00 +0000'), undefined);
    assert.equal(parseAccessLog('h - - [yesterday] "GET / HTTP/1.1" 200 1').ts, 'yesterday');
  });
});
