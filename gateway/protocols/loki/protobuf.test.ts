import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compress } from 'snappyjs';
import { TEST_KEYS, testGateway } from '../../../test/helpers/gatewayFixture.ts';
import { RecordingBus } from '../../../test/helpers/recordingBus.ts';
import { PushRequest } from './protobuf.ts';

/** A push as Promtail sends it: PushRequest, protobuf, snappy block format. */
export function promtailPush(request: object): Uint8Array {
  return compress(PushRequest.encode(PushRequest.fromObject(request)).finish());
}

const PUSH = {
  streams: [
    {
      labels:
        '{job="varlogs", service="checkout", env="prod", filename="/var/log/app.log", note="a \\"quoted\\" value"}',
      entries: [
        {
          timestamp: { seconds: '1795003200', nanos: 123456789 },
          line: 'cart c-55 abandoned',
          structuredMetadata: [
            { name: 'trace_id', value: 'abc' },
            { name: 'user', value: 'u-9' },
          ],
        },
        { timestamp: { seconds: '1795003201' }, line: 'second line' },
      ],
    },
  ],
};

async function post(body: Uint8Array | string, contentType = 'application/x-protobuf') {
  const bus = new RecordingBus();
  const res = await testGateway(bus).app.request('/loki/api/v1/push', {
    method: 'POST',
    body,
    headers: { authorization: `Bearer ${TEST_KEYS.ingest}`, 'content-type': contentType },
  });
  return { res, events: bus.values('logs.raw') };
}

const comparable = ({ id, received_at, observed_ts, ...event }: Record<string, unknown>) => event;

describe('Loki protobuf + snappy push on /loki/api/v1/push', () => {
  it('maps streams, labels, entries and structured metadata as the JSON push of the same entries', async () => {
    const pb = await post(promtailPush(PUSH));
    assert.equal(pb.res.status, 204, await pb.res.clone().text());
    const json = await post(
      JSON.stringify({
        streams: [
          {
            stream: {
              job: 'varlogs',
              service: 'checkout',
              env: 'prod',
              filename: '/var/log/app.log',
              note: 'a "quoted" value',
            },
            values: [
              ['1795003200123456789', 'cart c-55 abandoned', { trace_id: 'abc', user: 'u-9' }],
              ['1795003201000000000', 'second line'],
            ],
          },
        ],
      }),
      'application/json',
    );
    assert.equal(json.res.status, 204);
    assert.deepEqual(pb.events.map(comparable), json.events.map(comparable));
    const [first] = pb.events as Array<Record<string, Record<string, unknown>> & Record<string, unknown>>;
    assert.equal(first.service, 'checkout');
    assert.equal(first.env, 'prod');
    assert.equal(first.ts, '2026-11-18T12:00:00.123456789Z');
    assert.equal(first.attrs.user, 'u-9');
    assert.equal(first.attrs.note, 'a "quoted" value');
    assert.equal(first.attrs.job, 'varlogs');
  });

  it('refuses a snappy bomb with 413 before inflating it past limits.max_decoded_body', async () => {
    const bomb = compress(new Uint8Array(8 * 1024 * 1024)); // 8 MiB of zeros, the test limit is 4 MiB
    assert.ok(bomb.length < 1024 * 1024, `small on the wire (${bomb.length} bytes)`);
    const { res, events } = await post(bomb);
    assert.equal(res.status, 413);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'body_too_large');
    assert.equal(events.length, 0);
    // A header that lies (claims 1 GiB for 2 bytes) is refused the same way, nothing allocated.
    const liar = await post(Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x04, 0x00, 0x00]));
    assert.equal(liar.res.status, 413);
  });

  it('answers 400 to a body that is not snappy, or snappy of a truncated PushRequest', async () => {
    const plain = await post(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]));
    assert.equal(plain.res.status, 400);
    assert.match(((await plain.res.json()) as { error: { message: string } }).error.message, /snappy/);
    const encoded = PushRequest.encode(PushRequest.fromObject(PUSH)).finish();
    const truncated = await post(compress(encoded.subarray(0, encoded.length - 5)));
    const answer = (await truncated.res.json()) as { error: { code: string; message: string } };
    assert.equal(truncated.res.status, 400);
    assert.equal(answer.error.code, 'malformed_protobuf');
    assert.match(answer.error.message, /^the body is not a valid Loki PushRequest: /);
    const wireType = await post(compress(Uint8Array.from([0x08, 0x01]))); // streams as a varint
    assert.equal(wireType.res.status, 400);
    assert.equal(plain.events.length + truncated.events.length + wireType.events.length, 0);
  });

  it('refuses the entries of a stream whose labels are not {name="value", …}, keeping the others', async () => {
    const push = { streams: [{ labels: 'job=varlogs', entries: [{ line: 'x' }] }, PUSH.streams[0]] };
    const { res, events } = await post(promtailPush(push));
    const answer = (await res.json()) as {
      rejected: number;
      errors: Array<{ index: number; reason: string }>;
    };
    assert.equal(answer.rejected, 1);
    assert.match(answer.errors[0].reason, /labels "job=varlogs" are not/);
    assert.equal(events.length, 2);
  });
});
