import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TEST_KEYS, testGateway } from '../../../test/helpers/gatewayFixture.ts';
import { RecordingBus } from '../../../test/helpers/recordingBus.ts';
import type { GatewayLimits } from '../../app.ts';

async function post(
  path: string,
  body: string,
  options: { headers?: Record<string, string>; bus?: RecordingBus; limits?: Partial<GatewayLimits> } = {},
) {
  const bus = options.bus ?? new RecordingBus();
  const res = await testGateway(bus, { limits: options.limits }).app.request(path, {
    method: 'POST',
    body,
    headers: { authorization: `Splunk ${TEST_KEYS.ingest}`, ...options.headers },
  });
  return { res, body: (await res.json()) as Record<string, unknown>, events: bus.values('logs.raw') };
}

const CHANNEL = '0f6e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b';

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

  it('refuses keys with Splunk’s codes: 401/2 no token, 401/3 malformed header, 403/4 unknown or not an ingest key', async () => {
    const cases: Array<[Record<string, string>, number, number]> = [
      [{ authorization: '' }, 401, 2],
      [{ authorization: 'Token-without-scheme' }, 401, 3],
      [{ authorization: 'Splunk not-a-key' }, 403, 4],
      [{ authorization: `Splunk ${TEST_KEYS.read}` }, 403, 4],
    ];
    for (const [headers, status, code] of cases) {
      const { res, body, events } = await post('/services/collector/event', '{"event":"x"}', { headers });
      assert.deepEqual([res.status, body.code], [status, code], JSON.stringify(body));
      assert.equal(typeof body.text, 'string');
      assert.equal(events.length, 0);
    }
  });

  it('answers size, rate and bus refusals in Splunk’s shape: 413/6, 429/9 and 503/9 with Retry-After', async () => {
    const big = await post('/services/collector/event', `{"event":"${'x'.repeat(2048)}"}`, {
      limits: { maxBodyBytes: 1024, maxDecodedBytes: 1024 },
    });
    assert.deepEqual([big.res.status, big.body.code], [413, 6]);
    assert.match(String(big.body.text), /1024/);
    const limited = testGateway(new RecordingBus(), { limits: { rate: { rate: 1, burst: 1 } } });
    const send = () =>
      limited.app.request('/services/collector/event', {
        method: 'POST',
        body: '{"event":"a"}',
        headers: { authorization: `Splunk ${TEST_KEYS.ingest}` },
      });
    assert.equal((await send()).status, 200);
    const rated = await send();
    assert.deepEqual([rated.status, ((await rated.json()) as { code: number }).code], [429, 9]);
    assert.ok(rated.headers.get('retry-after'));
    const bus = new RecordingBus();
    bus.down = true;
    const down = await post('/services/collector/event', '{"event":"a"}', { bus });
    assert.deepEqual([down.res.status, down.body.code], [503, 9]);
    assert.equal(down.res.headers.get('retry-after'), '3');
  });

  it('hands out an ackId on a channel and acknowledges it on /ack; refuses a missing or malformed channel', async () => {
    const sent = await post('/services/collector/event', '{"event":"acked"}', {
      headers: { 'x-splunk-request-channel': CHANNEL },
    });
    assert.equal(sent.res.status, 200);
    assert.equal(typeof sent.body.ackId, 'number');
    const byQuery = await post(`/services/collector/raw?channel=${CHANNEL}`, 'a line');
    assert.equal(typeof byQuery.body.ackId, 'number');
    assert.notEqual(byQuery.body.ackId, sent.body.ackId);
    const acks = await post(
      '/services/collector/ack',
      JSON.stringify({ acks: [sent.body.ackId, byQuery.body.ackId] }),
      {
        headers: { 'x-splunk-request-channel': CHANNEL },
      },
    );
    assert.deepEqual(acks.body, {
      acks: { [String(sent.body.ackId)]: true, [String(byQuery.body.ackId)]: true },
    });
    const noChannel = await post('/services/collector/ack', '{"acks":[0]}');
    assert.deepEqual([noChannel.res.status, noChannel.body.code], [400, 10]);
    const badChannel = await post('/services/collector/event', '{"event":"x"}', {
      headers: { 'x-splunk-request-channel': 'not-a-guid' },
    });
    assert.deepEqual([badChannel.res.status, badChannel.body.code, badChannel.events.length], [400, 11, 0]);
    const badAcks = await post('/services/collector/ack', '{"acks":"all"}', {
      headers: { 'x-splunk-request-channel': CHANNEL },
    });
    assert.deepEqual([badAcks.res.status, badAcks.body.code], [400, 6]);
    const noKey = await post('/services/collector/ack', '{"acks":[0]}', {
      headers: { authorization: '', 'x-splunk-request-channel': CHANNEL },
    });
    assert.deepEqual([noKey.res.status, noKey.body.code], [401, 2]);
  });

  it('answers /services/collector/health without a key: 200/17 healthy, 503/18 while the bus is down', async () => {
    const bus = new RecordingBus();
    const gateway = testGateway(bus);
    const healthy = await gateway.app.request('/services/collector/health');
    assert.deepEqual(await healthy.json(), { text: 'HEC is healthy', code: 17 });
    bus.down = true;
    const unhealthy = await gateway.app.request('/services/collector/health/1.0');
    assert.equal(unhealthy.status, 503);
    assert.equal(((await unhealthy.json()) as { code: number }).code, 18);
  });
});
