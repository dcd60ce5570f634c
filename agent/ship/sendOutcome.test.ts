import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyResponse } from './sendOutcome.ts';

describe('classifyResponse', () => {
  it('takes 202 as acknowledged, with the refused records listed', () => {
    const body = JSON.stringify({
      accepted: 2,
      rejected: 1,
      errors: [{ index: 1, reason: 'missing message' }],
    });
    assert.deepEqual(classifyResponse(202, undefined, body), {
      kind: 'acked',
      accepted: 2,
      rejected: 1,
      errors: [{ index: 1, reason: 'missing message' }],
    });
  });

  it('takes 422 as acknowledged-but-refused, with its details', () => {
    const body = JSON.stringify({
      error: {
        code: 'all_records_rejected',
        message: 'all 1 records were refused',
        details: [{ index: 0, reason: 'bad' }],
      },
    });
    assert.deepEqual(classifyResponse(422, undefined, body), {
      kind: 'all_rejected',
      errors: [{ index: 0, reason: 'bad' }],
    });
  });

  it('retries 429 and 503 no sooner than Retry-After', () => {
    const outcome = classifyResponse(503, '7', '{"error":{"code":"bus_unavailable","message":"bus down"}}');
    assert.deepEqual(outcome, { kind: 'retry', reason: 'http_503', message: 'bus down', retryAfterMs: 7000 });
    assert.equal(classifyResponse(429, '2', '').kind, 'retry');
  });

  it('retries other 5xx and 408, even with a body that is not JSON', () => {
    const outcome = classifyResponse(502, undefined, '<html>Bad Gateway</html>');
    assert.equal(outcome.kind, 'retry');
    assert.match((outcome as { message: string }).message, /HTTP 502: <html>/);
    assert.equal(classifyResponse(408, undefined, '').kind, 'retry');
  });

  it('splits on 413 and changes encoding on 415', () => {
    assert.equal(classifyResponse(413, undefined, '').kind, 'too_large');
    assert.equal(classifyResponse(415, undefined, '').kind, 'unsupported_encoding');
  });

  it('treats a refused key or a wrong URL as configuration errors, not as refused data', () => {
    for (const status of [401, 403, 404])
      assert.equal(classifyResponse(status, undefined, '').kind, 'misconfigured');
  });

  it('gives up on a batch the gateway calls malformed', () => {
    assert.deepEqual(classifyResponse(400, undefined, '{"error":{"message":"bad body"}}'), {
      kind: 'refused',
      status: 400,
      message: 'bad body',
    });
  });
});
