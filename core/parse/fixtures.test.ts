import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { normalizeRecord } from '../event/normalize.ts';
import { createParser } from './createParser.ts';
import type { Format } from './types.ts';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/logs');
const CID = '0193f2c4-7b1e-7cc2-9a43-5d2e8f1a6b90';

function normalizedLines(file: string, format: Format) {
  const parse = createParser({ format, timeZone: 'utc', now: () => Date.parse('2026-11-24T00:00:00Z') });
  const lines = readFileSync(join(FIXTURES, file), 'utf8').split('\n').slice(0, -1);
  return lines.map((line) => {
    const result = normalizeRecord(parse(line), { tenant: 'acme', observedMs: 0 });
    assert.ok(result.ok, `${file}: ${line}`);
    return result.event;
  });
}

describe('parsers on the sample logs, through normalizeRecord', () => {
  it('json: differing spellings meet on one correlation ID, level and time', () => {
    const events = normalizedLines('app.json.log', 'json');
    assert.deepEqual(
      events.map((e) => [e.service, e.level, e.correlation_id]),
      [
        ['api-gateway', 'info', CID],
        ['orders', 'info', CID],
        ['payments', 'error', CID],
        ['orders', 'warn', CID],
        ['orders', 'debug', undefined],
      ],
    );
    assert.equal(events[2].message, 'payment gateway timeout after 3000 ms');
    assert.equal(events[3].message, 'retrying payment (attempt 2)');
    assert.equal(events[0].attrs['http.method'], 'POST');
  });

  it('logfmt: msg is the message, numbers compare as numbers', () => {
    const events = normalizedLines('app.logfmt.log', 'logfmt');
    assert.equal(events[1].message, 'stock unavailable');
    assert.equal(events[1].level, 'error');
    assert.equal(events[1].correlation_id, CID);
    assert.equal(events[1].attrs.code, 409);
    assert.equal(events[0].attrs.qty, 2);
    assert.equal(events[2].ts, '2026-11-23T12:00:00.190Z');
  });

  it('nginx: status, request parts, time with its offset, cid as the correlation ID', () => {
    const [created, timeout] = normalizedLines('nginx.access.log', 'nginx');
    assert.equal(created.ts, '2026-11-23T12:00:00.000Z');
    assert.equal(created.level, 'info');
    assert.equal(created.correlation_id, CID);
    assert.equal(created.attrs['http.method'], 'POST');
    assert.equal(created.attrs.rt, 0.045);
    assert.equal(timeout.level, 'error');
    assert.equal(timeout.attrs['http.status'], 504);
    assert.equal(timeout.attrs['http.path'], '/orders/A-1001');
  });

  it('syslog: RFC 5424 and RFC 3164 lines give host, app, time and level', () => {
    const [rfc5424, rfc3164] = normalizedLines('syslog.log', 'syslog');
    assert.deepEqual(
      [rfc5424.host, rfc5424.service, rfc5424.level, rfc5424.ts],
      ['host-a', 'sshd', 'fatal', '2026-11-23T12:00:03.000Z'],
    );
    assert.equal(rfc5424.message, 'Failed password for invalid user admin from 203.0.113.9 port 22 ssh2');
    assert.deepEqual(
      [rfc3164.host, rfc3164.service, rfc3164.level, rfc3164.ts],
      ['host-b', 'cron', 'info', '2026-11-23T12:00:04.000Z'],
    );
    assert.equal(rfc3164.message, '(root) CMD (run-parts /etc/cron.hourly)');
  });

  it('plain: a Python logging header gives time and level', () => {
    const [first] = normalizedLines('python.traceback.log', 'plain');
    assert.equal(first.ts, '2026-11-23T12:00:02.001Z');
    assert.equal(first.level, 'warn');
  });
});
