import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseErrorOf } from '../types.ts';
import { createSyslogParser } from './syslog.ts';

const at = (iso: string) => createSyslogParser({ now: () => Date.parse(iso), timeZone: 'utc' });
const parse = at('2026-11-23T13:00:00Z');

describe('syslog parser', () => {
  it('reads RFC 5424 with structured data as attributes', () => {
    assert.deepEqual(
      parse(
        '<165>1 2026-11-23T12:00:03.5+01:00 host-a app 4242 ID47 [origin ip="10.0.0.1"][meta seq="7" note="a \\"b\\" \\]"] \uFEFFhello',
      ),
      {
        level: 'info',
        'syslog.facility': 'local4',
        ts: '2026-11-23T12:00:03.5+01:00',
        host: 'host-a',
        service: 'app',
        'syslog.procid': 4242,
        'syslog.msgid': 'ID47',
        'origin.ip': '10.0.0.1',
        'meta.seq': 7,
        'meta.note': 'a "b" ]',
        message: 'hello',
      },
    );
  });

  it('leaves nil fields out and accepts a line without MSG', () => {
    assert.deepEqual(parse('<14>1 - - - - - -'), { level: 'info', 'syslog.facility': 'user', message: '' });
  });

  it('maps syslog severities to levels', () => {
    const level = (pri: number) => parse(`<${pri}>1 - h a - - - x`).level;
    assert.deepEqual([0, 2, 3, 4, 5, 6, 7].map(level), [
      'fatal',
      'fatal',
      'error',
      'warn',
      'info',
      'info',
      'debug',
    ]);
  });

  it('keeps the header of a line with malformed structured data, flagged', () => {
    const record = parse('<14>1 - host app - - [broken x] msg');
    assert.equal(record.host, 'host');
    assert.equal(record.message, '[broken x] msg');
    assert.equal(parseErrorOf(record), 'syslog: malformed structured data');
  });

  it('reads RFC 3164 with host, tag and pid', () => {
    assert.deepEqual(parse('<13>Nov 23 12:00:04 host-b cron[311]: (root) CMD (run-parts /etc/cron.hourly)'), {
      level: 'info',
      'syslog.facility': 'user',
      ts: '2026-11-23T12:00:04Z',
      host: 'host-b',
      service: 'cron',
      'syslog.procid': 311,
      message: '(root) CMD (run-parts /etc/cron.hourly)',
    });
  });

  it('reads RFC 3164 without PRI or host, as local files hold it, with a space-padded day', () => {
    const record = parse('Nov  3 08:15:00 sshd: session opened');
    assert.deepEqual(
      [record.ts, record.host, record.service, record.message, record.level],
      ['2026-11-03T08:15:00Z', undefined, 'sshd', 'session opened', undefined],
    );
  });

  it('reads rsyslog high-precision times in place of the BSD time', () => {
    const record = parse('2026-11-23T12:00:03.123456+00:00 host-c kernel: eth0 up');
    assert.deepEqual(
      [record.ts, record.host, record.service, record.message],
      ['2026-11-23T12:00:03.123456+00:00', 'host-c', 'kernel', 'eth0 up'],
    );
  });

  it('keeps the rest as message when there is no tag', () => {
    assert.equal(
      parse('<13>Nov 23 12:00:04 host-b Connection from 1.2.3.4: refused').message,
      'Connection from 1.2.3.4: refused',
    );
  });

  it('puts an RFC 3164 time more than a day ahead of now in last year', () => {
    const january = at('2027-01-01T00:10:00Z');
    assert.equal(january('<13>Dec 31 23:59:00 h t: x').ts, '2026-12-31T23:59:00Z');
    assert.equal(january('<13>Jan  1 00:05:00 h t: x').ts, '2027-01-01T00:05:00Z');
    // Clocks drift: a line up to a day ahead is still this year.
    assert.equal(january('<13>Jan  1 12:00:00 h t: x').ts, '2027-01-01T12:00:00Z');
  });

  it('puts a January line read just before New Year in next year, Feb 29 in the last leap year', () => {
    assert.equal(at('2026-12-31T23:59:30Z')('<13>Jan  1 00:00:10 h t: x').ts, '2027-01-01T00:00:10Z');
    assert.equal(at('2029-03-02T00:00:00Z')('<13>Feb 29 10:00:00 h t: x').ts, '2028-02-29T10:00:00Z');
  });

  it('infers the year afresh as now moves on, for lines of the same minute', () => {
    let now = Date.parse('2026-11-23T12:00:30Z');
    const parse = createSyslogParser({ now: () => now, timeZone: 'utc' });
    assert.equal(parse('<13>Nov 23 12:00:04 h t: x').ts, '2026-11-23T12:00:04Z');
    now = Date.parse('2027-11-23T12:00:30Z');
    assert.equal(parse('<13>Nov 23 12:00:05 h t: x').ts, '2027-11-23T12:00:05Z');
  });

  it('reads the BSD time in the local zone by default', () => {
    const local = createSyslogParser({ now: () => Date.parse('2026-11-24T00:00:00Z') });
    assert.equal(
      local('<13>Nov 23 12:00:04 h t: x').ts,
      new Date(2026, 10, 23, 12, 0, 4).toISOString().replace('.000', ''),
    );
  });

  it('keeps a line in neither form as the message, flagged, with what PRI said', () => {
    const record = parse('<11>garbage here');
    assert.equal(record.message, '<11>garbage here');
    assert.equal(record.level, 'error');
    assert.equal(parseErrorOf(record), 'syslog: neither RFC 5424 nor RFC 3164');
    assert.equal(parseErrorOf(parse('<999>1 - - - - - - x')), 'syslog: neither RFC 5424 nor RFC 3164');
  });

  it('refuses invalid BSD times rather than inventing dates', () => {
    assert.ok(parseErrorOf(parse('<13>Nov 32 12:00:04 h t: x')));
    assert.ok(parseErrorOf(parse('<13>Foo 23 12:00:04 h t: x')));
    assert.ok(parseErrorOf(parse('<13>Nov 31 12:00:04 h t: x')));
    assert.ok(parseErrorOf(parse('<13>Nov 23 12:00:61 h t: x')));
  });
});
