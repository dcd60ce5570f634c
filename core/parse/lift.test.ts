import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { liftFromText } from './lift.ts';

describe('lifting from plain text', () => {
  it('finds correlation IDs in header-like forms', () => {
    const forms = [
      'X-Correlation-ID: abc-1 upstream=orders',
      'x-correlation-id=abc-1',
      'handled correlation_id=abc-1 in 3ms',
      'handled correlationId=abc-1',
      'handled {"request_id": "abc-1"}',
      'GET /x requestId=abc-1',
      'x-request-id: abc-1',
      'done cid=abc-1',
      '[cid:abc-1] done',
      'failed for request_id=abc-1.',
    ];
    for (const text of forms) assert.equal(liftFromText(text).correlation_id, 'abc-1', text);
  });

  it('ignores keys inside other words, nil values and overlong or unsafe values', () => {
    assert.equal(liftFromText('acid=1 placid=2').correlation_id, undefined);
    assert.equal(liftFromText('request_id=- done').correlation_id, undefined);
    assert.equal(liftFromText(`cid=${'a'.repeat(129)}`).correlation_id, undefined);
    assert.equal(liftFromText(`cid=${'a'.repeat(128)}`).correlation_id, 'a'.repeat(128));
    assert.equal(liftFromText('cid=<script>').correlation_id, undefined);
  });

  it('reads trace and span ids from a W3C traceparent', () => {
    assert.deepEqual(liftFromText('traceparent: 00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01'), {
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
    });
  });

  it('refuses an invalid traceparent (all-zero trace id, version ff)', () => {
    assert.equal(liftFromText(`traceparent: 00-${'0'.repeat(32)}-00f067aa0ba902b7-01`).trace_id, undefined);
    assert.equal(
      liftFromText('traceparent: ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01').trace_id,
      undefined,
    );
  });

  it('reads trace_id and span_id keys', () => {
    assert.deepEqual(liftFromText('trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7'), {
      trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      span_id: '00f067aa0ba902b7',
    });
  });

  it('reads a leading level word in the ways frameworks write it', () => {
    const cases: Array<[string, string]> = [
      ['ERROR something broke', 'error'],
      ['[WARN] disk at 91%', 'warn'],
      ['[warn] disk at 91%', 'warn'],
      ['error: file not found', 'error'],
      ['2026-11-23 12:00:00,123 ERROR [main] c.e.App - boom', 'error'],
      ['2026-11-23T12:00:00.123Z [FATAL] out of memory', 'fatal'],
      ['12:00:00.123 [main] DEBUG c.e.App - detail', 'debug'],
      ['2026-11-23 12:00:02,001 WARNING worker[77] slow', 'warn'],
      ['INFO  [main] padded', 'info'],
      ['<notice> something', 'info'],
    ];
    for (const [text, level] of cases) assert.equal(liftFromText(text).level, level, text);
  });

  it('does not take prose for a level', () => {
    for (const text of ['Error connecting to db', 'Alert sent to on-call', 'I think so', 'GET /health', '']) {
      assert.equal(liftFromText(text).level, undefined, text);
    }
  });

  it('lifts a leading date-time in ISO form, with its offset when written', () => {
    assert.equal(liftFromText('2026-11-23 12:00:00,123 INFO x').ts, '2026-11-23T12:00:00.123');
    assert.equal(liftFromText('[2026-11-23 12:00:00 +0100] INFO x').ts, '2026-11-23T12:00:00+0100');
    assert.equal(liftFromText('2026-11-23T12:00:00.5Z x').ts, '2026-11-23T12:00:00.5Z');
    assert.equal(liftFromText('12:00:00 INFO x').ts, undefined);
  });
});
