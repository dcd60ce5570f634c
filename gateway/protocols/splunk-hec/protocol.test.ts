import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_KEYS, testGateway } from '../../../test/helpers/gatewayFixture.ts';
import { RecordingBus } from '../../../test/helpers/recordingBus.ts';

async function post(path: string, body: string) {
  const bus = new RecordingBus();
  const res = await testGateway(bus).app.request(path, {
    method: 'POST',
    body,
    headers: { authorization: `Splunk ${TEST_KEYS.ingest}` },
  });
  return { res, body: (await res.json()) as Record<string, unknown>, events: bus.values('logs.raw') };
}

describe('Splunk HEC', () => {
  it('takes raw lines with their metadata from the query string, on /services/collector/raw', async () => {
    const { res, body, events } = await post(
      '/services/collector/raw?host=web-2&sourcetype=access_combined&source=nginx',
      'GET / 200\nGET /cart 500\n',
    );
    assert.equal(res.status, 200);
    assert.deepEqual(body, { text: 'Success', code: 0 });
    assert.deepEqual(
      events.map((e) => [e.message, e.host, (e.attrs as Record<string, unknown>).sourcetype]),
      [
        ['GET / 200', 'web-2', 'access_combined'],
        ['GET /cart 500', 'web-2', 'access_combined'],
      ],
    );
  });

  it('takes events back to back with no separator, on the /services/collector alias, fields as attributes', async () => {
    const { res, events } = await post(
      '/services/collector',
      '{"event":"a","fields":{"region":"eu"}}{"event":"b","host":"h1","time":"1795521600.5"}',
    );
    assert.equal(res.status, 200);
    assert.equal(events.length, 2);
    assert.equal((events[0].attrs as Record<string, unknown>).region, 'eu');
    assert.equal(events[1].ts, '2026-11-24T12:00:00.500Z');
  });

  it('answers with Splunk’s codes: 5 no data, 6 invalid data format, 12 event required (by event number)', async () => {
    const empty = await post('/services/collector/event', '  ');
    assert.equal(empty.res.status, 400);
    assert.equal(empty.body.code, 5);
    assert.equal(empty.body.text, 'No data');
    const garbled = await post('/services/collector/event', '{"event":"a"');
    assert.equal(garbled.res.status, 400);
    assert.equal(garbled.body.code, 6);
    const missing = await post('/services/collector/event', '{"event":"kept"}{"time":1}');
    assert.equal(missing.res.status, 400);
    assert.equal(missing.body.code, 12);
    assert.equal(missing.body.text, 'Event field is required');
    assert.equal(missing.body['invalid-event-number'], 1);
    assert.equal(missing.events.length, 1, 'the valid event is stored, as Splunk does');
  });
});
