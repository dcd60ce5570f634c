import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePlain, unparsed } from './plain.ts';
import { parseErrorOf } from './types.ts';

describe('plain parser', () => {
  it('keeps the line as the message and lifts header, correlation ID and trace', () => {
    assert.deepEqual(
      parsePlain(
        '2026-11-23 12:00:00,101 ERROR [exec-3] charge failed correlation_id=c-1 traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      ),
      {
        message:
          '2026-11-23 12:00:00,101 ERROR [exec-3] charge failed correlation_id=c-1 traceparent=00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        ts: '2026-11-23T12:00:00.101',
        level: 'error',
        correlation_id: 'c-1',
        trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        span_id: '00f067aa0ba902b7',
      },
    );
  });

  it('gives a line without anything to lift only its message', () => {
    assert.deepEqual(parsePlain('hello world'), { message: 'hello world' });
  });

  it('marks a line that did not fit its format, keeping what can be lifted', () => {
    const record = unparsed('WARN odd', 'x: no');
    assert.equal(record.level, 'warn');
    assert.equal(parseErrorOf(record), 'x: no');
  });
});
