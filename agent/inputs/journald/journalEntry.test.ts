import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapEntry, positionOf } from './journalEntry.ts';

describe('journal entries', () => {
  it('takes (seqnum id, seqnum) from the cursor', () => {
    assert.deepEqual(positionOf('s=ab12;i=1f;b=00;m=3e8;t=1;x=2'), {
      fileId: 'journal-ab12',
      seqnum: 31,
      cursor: 's=ab12;i=1f;b=00;m=3e8;t=1;x=2',
    });
    assert.equal(positionOf('garbage'), undefined);
    assert.equal(positionOf(undefined), undefined);
  });

  it('maps MESSAGE, PRIORITY, the unit or identifier, host, pid and time', () => {
    const mapped = JSON.parse(
      mapEntry(
        {
          MESSAGE: 'disk full',
          PRIORITY: '2',
          SYSLOG_IDENTIFIER: 'sshd',
          _HOSTNAME: 'n1',
          _PID: '7',
          SYSLOG_FACILITY: '4',
          __REALTIME_TIMESTAMP: '1765094400123456',
        },
        1024,
      ).json,
    );
    assert.deepEqual(mapped, {
      message: 'disk full',
      ts: '2025-12-07T08:00:00.123Z',
      level: 'fatal',
      service: 'sshd',
      host: 'n1',
      'process.pid': 7,
      'syslog.identifier': 'sshd',
      'syslog.facility': 4,
    });
  });

  it('decodes byte-array values, takes the first of repeated fields, cuts long messages', () => {
    assert.equal(JSON.parse(mapEntry({ MESSAGE: [104, 105, 255] }, 1024).json).message, 'hi\uFFFD');
    assert.equal(JSON.parse(mapEntry({ MESSAGE: ['a', 'b'] }, 1024).json).message, 'a');
    const cut = mapEntry({ MESSAGE: 'x'.repeat(2000) }, 1024);
    assert.equal(JSON.parse(cut.json).message.length, 1024);
    assert.equal(cut.originalBytes, 2000);
    assert.equal(JSON.parse(mapEntry({ PRIORITY: '9' }, 1024).json).level, undefined);
  });
});
