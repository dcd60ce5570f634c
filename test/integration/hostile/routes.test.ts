/**
 * The hostile-input suite: for every route of a standalone Sluice, malformed, oversized, deeply nested,
 * wrongly encoded, wrongly typed, cross-tenant and unauthenticated requests, each with its documented
 * status (docs/api.md, docs/security.md) and a JSON error body, and the server healthy after each one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import protobuf from 'protobufjs';
import { compress } from 'snappyjs';
import { PushRequest } from '../../../gateway/protocols/loki/protobuf.ts';
import { ExportLogsServiceRequest } from '../../../gateway/protocols/otlp/protobuf.ts';
import { rawRequest } from '../../helpers/rawHttp.ts';
import { type HostileServer, KEYS, type KeyName, startHostileServer } from './server.ts';

interface Row {
  name: string;
  method?: string;
  path: string;
  key?: KeyName | { raw: string } | null;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Documented status (one of them, where the table documents two outcomes). */
  status: number | number[];
  /** The error code, when the answer is an error. */
  code?: string;
}

const NDJSON = { 'content-type': 'application/x-ndjson' };
const JSON_TYPE = { 'content-type': 'application/json' };
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const big = (bytes: number) => `{"message":"${'x'.repeat(bytes)}"}`;
const invalidUtf8 = new Uint8Array([...Buffer.from('{"message":"bad '), 0xc3, 0x28, ...Buffer.from('"}\n')]);
const line = (fields: Record<string, unknown>) => `${JSON.stringify({ message: 'm', ...fields })}\n`;
const rule = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name: 'hostile', query: 'level>=error', threshold: 1, window: '5m', ...extra });

const PROTOBUF = { 'content-type': 'application/x-protobuf' };
const otlp = (n: number, line = 'm') =>
  ExportLogsServiceRequest.encode(
    ExportLogsServiceRequest.fromObject({
      resourceLogs: [
        { scopeLogs: [{ logRecords: Array.from({ length: n }, () => ({ body: { stringValue: line } })) }] },
      ],
    }),
  ).finish();
const push = (n: number, line = 'm') =>
  PushRequest.encode(
    PushRequest.fromObject({
      streams: [
        {
          labels: '{job="hostile"}',
          entries: Array.from({ length: n }, () => ({ timestamp: { seconds: 1 }, line })),
        },
      ],
    }),
  ).finish();
/** Field 1 (resource_logs / streams, a message) sent as a varint. */
const wrongWireType = protobuf.Writer.create()
  .uint32((1 << 3) | 0)
  .uint32(7)
  .finish();
/** A field no schema has, after a valid message: newer clients send such fields; they are skipped. */
const withUnknownField = (message: Uint8Array) =>
  Buffer.concat([
    message,
    protobuf.Writer.create()
      .uint32((99 << 3) | 2)
      .string('from the future')
      .finish(),
  ]);
const truncated = (message: Uint8Array) => message.subarray(0, message.length - 3);
const SPLUNK_CHANNEL = { 'x-splunk-request-channel': '0f6e2a4c-1b3d-4e5f-8a9b-0c1d2e3f4a5b' };

/** Ingest rows shared by every protocol route: auth, encoding, size, type. */
function ingestRows(path: string, type: Record<string, string>, good: string): Row[] {
  return [
    { name: 'unauthenticated', path, headers: type, body: good, key: null, status: 401, code: 'missing_key' },
    {
      name: 'unknown key',
      path,
      headers: type,
      body: good,
      key: { raw: 'nope' },
      status: 401,
      code: 'invalid_key',
    },
    { name: 'read key', path, headers: type, body: good, key: 'acmeRead', status: 403, code: 'forbidden' },
    {
      name: 'operator key',
      path,
      headers: type,
      body: good,
      key: 'operator',
      status: 403,
      code: 'forbidden',
    },
    { name: 'oversized body', path, headers: type, body: big(100 * 1024), status: 413 },
    {
      name: 'declared oversized',
      path,
      headers: { ...type, 'content-length': String(50 * 1024 * 1024) },
      body: '',
      status: 413,
    },
    {
      name: 'gzip header, plain body',
      path,
      headers: { ...type, 'content-encoding': 'gzip' },
      body: good,
      status: 400,
    },
    {
      name: 'unknown encoding',
      path,
      headers: { ...type, 'content-encoding': 'br' },
      body: good,
      status: 415,
    },
    {
      // _bulk reads any content type, as Elasticsearch does (clients send several): the body is then malformed.
      name: 'wrong content type',
      path,
      headers: { 'content-type': 'application/xml' },
      body: '<a/>',
      status: path.endsWith('_bulk') ? 400 : 415,
    },
    {
      name: 'gzip bomb (decodes past max_body)',
      path,
      headers: { ...type, 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)),
      status: 413,
    },
    { name: 'empty body', path, headers: type, body: '', status: [200, 202, 400, 204] },
    // GET on /api/v1/* meets the query API's read check first: 403 for an ingest key.
    { name: 'GET instead of POST', method: 'GET', path, status: [403, 404, 405] },
  ];
}

function rows(): Row[] {
  return [
    // Native ingest.
    ...ingestRows('/api/v1/ingest', NDJSON, line({})),
    { name: 'malformed JSON', path: '/api/v1/ingest', headers: JSON_TYPE, body: '{"message":', status: 400 },
    {
      name: 'malformed NDJSON line',
      path: '/api/v1/ingest',
      headers: NDJSON,
      body: '{"message":\n',
      status: [400, 422],
    },
    {
      name: 'wrong type (number)',
      path: '/api/v1/ingest',
      headers: JSON_TYPE,
      body: '42',
      status: [400, 422],
    },
    {
      name: 'wrong type (string)',
      path: '/api/v1/ingest',
      headers: JSON_TYPE,
      body: '"x"',
      status: [400, 422],
    },
    {
      name: 'deeply nested record',
      path: '/api/v1/ingest',
      headers: NDJSON,
      body: `${nested(5000)}\n`,
      status: [400, 422],
    },
    {
      name: 'deeply nested array',
      path: '/api/v1/ingest',
      headers: JSON_TYPE,
      body: deepArray(20_000),
      status: [400, 422],
    },
    // NDJSON refuses the line (422 when it is the only one), JSON the whole body.
    { name: 'invalid UTF-8 NDJSON', path: '/api/v1/ingest', headers: NDJSON, body: invalidUtf8, status: 422 },
    {
      name: 'too many records',
      path: '/api/v1/ingest',
      headers: NDJSON,
      body: line({}).repeat(101),
      status: 413,
    },
    {
      name: 'every record refused',
      path: '/api/v1/ingest',
      headers: NDJSON,
      body: '{"no":"message"}\n',
      status: 422,
    },
    // Elasticsearch _bulk.
    ...ingestRows('/_bulk', NDJSON, `{"index":{}}\n${line({})}`),
    {
      name: 'bulk action without source',
      path: '/_bulk',
      headers: NDJSON,
      body: '{"index":{}}\n',
      status: [200, 400],
    },
    {
      name: 'bulk on an index path',
      path: '/logs-x/_bulk',
      headers: NDJSON,
      body: '{"index":{}}\n[1]\n',
      status: [200, 400],
    },
    // OTLP/HTTP JSON.
    ...ingestRows('/v1/logs', JSON_TYPE, '{"resourceLogs":[]}'),
    {
      name: 'OTLP wrong shape',
      path: '/v1/logs',
      headers: JSON_TYPE,
      body: '{"resourceLogs":"x"}',
      status: 400,
    },
    {
      name: 'OTLP protobuf garbage',
      path: '/v1/logs',
      headers: { 'content-type': 'application/x-protobuf' },
      body: 'garbage',
      status: [400, 415],
    },
    // OTLP/HTTP protobuf.
    { name: 'OTLP protobuf', path: '/v1/logs', headers: PROTOBUF, body: otlp(2), status: 200 },
    {
      name: 'OTLP truncated',
      path: '/v1/logs',
      headers: PROTOBUF,
      body: truncated(otlp(2)),
      status: 400,
      code: 'malformed_protobuf',
    },
    {
      name: 'OTLP wrong wire type',
      path: '/v1/logs',
      headers: PROTOBUF,
      body: wrongWireType,
      status: 400,
      code: 'malformed_protobuf',
    },
    {
      name: 'OTLP unknown field',
      path: '/v1/logs',
      headers: PROTOBUF,
      body: withUnknownField(otlp(1)),
      status: 200,
    },
    {
      name: 'OTLP too many records',
      path: '/v1/logs',
      headers: PROTOBUF,
      body: otlp(101),
      status: 413,
      code: 'too_many_records',
    },
    {
      name: 'OTLP oversized',
      path: '/v1/logs',
      headers: PROTOBUF,
      body: otlp(20, 'x'.repeat(4000)),
      status: 413,
    },
    {
      name: 'OTLP gzip bomb',
      path: '/v1/logs',
      headers: { ...PROTOBUF, 'content-encoding': 'gzip' },
      body: gzipSync(otlp(90, 'x'.repeat(60_000))),
      status: 413,
    },
    // Loki push.
    ...ingestRows('/loki/api/v1/push', JSON_TYPE, '{"streams":[]}'),
    // Loki protobuf + snappy.
    {
      name: 'Loki protobuf',
      path: '/loki/api/v1/push',
      headers: PROTOBUF,
      body: compress(push(2)),
      status: 204,
    },
    { name: 'Loki not snappy', path: '/loki/api/v1/push', headers: PROTOBUF, body: 'garbage', status: 400 },
    {
      name: 'Loki truncated snappy',
      path: '/loki/api/v1/push',
      headers: PROTOBUF,
      body: truncated(compress(push(5))),
      status: 400,
    },
    {
      name: 'Loki truncated PushRequest',
      path: '/loki/api/v1/push',
      headers: PROTOBUF,
      body: compress(truncated(push(2))),
      status: 400,
      code: 'malformed_protobuf',
    },
    {
      name: 'Loki wrong wire type',
      path: '/loki/api/v1/push',
      headers: PROTOBUF,
      body: compress(wrongWireType),
      status: 400,
      code: 'malformed_protobuf',
    },
    {
      name: 'Loki unknown field',
      path: '/loki/api/v1/push',
      headers: PROTOBUF,
      body: compress(withUnknownField(push(1))),
      status: 204,
    },
    {
      name: 'Loki too many entries',
      path: '/loki/api/v1/push',
      headers: PROTOBUF,
      body: compress(push(101)),
      status: 413,
      code: 'too_many_records',
    },
    // 8 MiB of zeros in a few hundred kilobytes: refused from the snappy header, before inflating.
    {
      name: 'Loki snappy bomb',
      path: '/loki/api/v1/push',
      headers: PROTOBUF,
      body: compress(new Uint8Array(8 * 1024 * 1024)),
      status: 413,
    },
    // Splunk HEC: refusals in Splunk's statuses (its `{"text","code"}` body carries Sluice's `error` too).
    { name: 'HEC event', path: '/services/collector/event', body: '{"event":"m"}', status: 200 },
    {
      name: 'HEC no key',
      path: '/services/collector/event',
      body: '{"event":"m"}',
      key: null,
      status: 401,
      code: 'missing_key',
    },
    {
      name: 'HEC malformed authorization',
      path: '/services/collector/event',
      body: '{"event":"m"}',
      key: null,
      headers: { authorization: 'nonsense' },
      status: 401,
      code: 'invalid_authorization',
    },
    {
      name: 'HEC unknown key',
      path: '/services/collector/event',
      body: '{"event":"m"}',
      key: { raw: 'nope' },
      status: 403,
      code: 'invalid_key',
    },
    {
      name: 'HEC read key',
      path: '/services/collector/event',
      body: '{"event":"m"}',
      key: 'acmeRead',
      status: 403,
      code: 'invalid_key',
    },
    {
      name: 'HEC operator key',
      path: '/services/collector/event',
      body: '{"event":"m"}',
      key: 'operator',
      status: 403,
      code: 'invalid_key',
    },
    { name: 'HEC empty', path: '/services/collector/event', body: ' ', status: 400, code: 'no_data' },
    {
      name: 'HEC garbage',
      path: '/services/collector/event',
      body: '{"event":',
      status: 400,
      code: 'invalid_data_format',
    },
    {
      name: 'HEC oversized',
      path: '/services/collector/event',
      body: `{"event":"${'x'.repeat(100 * 1024)}"}`,
      status: 413,
    },
    {
      name: 'HEC gzip bomb',
      path: '/services/collector',
      headers: { 'content-encoding': 'gzip' },
      body: gzipSync(Buffer.alloc(8 * 1024 * 1024, 0x20)),
      status: 413,
    },
    {
      name: 'HEC too many events',
      path: '/services/collector/event',
      body: '{"event":"m"}'.repeat(101),
      status: 413,
      code: 'too_many_records',
    },
    { name: 'HEC raw too many lines', path: '/services/collector/raw', body: 'm\n'.repeat(101), status: 413 },
    {
      name: 'HEC invalid channel',
      path: '/services/collector/event',
      headers: { 'x-splunk-request-channel': '../x' },
      body: '{"event":"m"}',
      status: 400,
      code: 'invalid_channel',
    },
    {
      name: 'HEC ack without channel',
      path: '/services/collector/ack',
      body: '{"acks":[0]}',
      status: 400,
      code: 'channel_missing',
    },
    {
      name: 'HEC ack garbage',
      path: '/services/collector/ack',
      headers: SPLUNK_CHANNEL,
      body: '{"acks":[-1, "x"]}',
      status: 400,
      code: 'invalid_data_format',
    },
    {
      name: 'HEC ack no key',
      path: '/services/collector/ack',
      headers: SPLUNK_CHANNEL,
      body: '{"acks":[0]}',
      key: null,
      status: 401,
    },
    { name: 'HEC health', method: 'GET', path: '/services/collector/health', key: null, status: 200 },
    {
      name: 'Loki wrong shape',
      path: '/loki/api/v1/push',
      headers: JSON_TYPE,
      body: '{"streams":[{"values":"x"}]}',
      status: [400, 422],
    },
    // Search.
    {
      name: 'search unauthenticated',
      method: 'GET',
      path: '/api/v1/search',
      key: null,
      status: 401,
      code: 'missing_key',
    },
    {
      name: 'search with an ingest key',
      method: 'GET',
      path: '/api/v1/search',
      key: 'acmeIngest',
      status: 403,
    },
    {
      name: 'search cross-tenant (read)',
      method: 'GET',
      path: '/api/v1/search?tenant=globex',
      key: 'acmeRead',
      status: 403,
    },
    {
      name: 'search cross-tenant (admin)',
      method: 'GET',
      path: '/api/v1/search?tenant=globex',
      key: 'acmeAdmin',
      status: 403,
    },
    {
      name: 'search CR/LF tenant',
      method: 'GET',
      path: '/api/v1/search?tenant=a%0d%0ab',
      key: 'operator',
      status: 400,
      code: 'bad_tenant',
    },
    { name: 'search bad query', method: 'GET', path: '/api/v1/search?q=(((', key: 'acmeRead', status: 400 },
    {
      name: 'search query too long',
      method: 'GET',
      path: `/api/v1/search?q=${'a'.repeat(5000)}`,
      key: 'acmeRead',
      status: 400,
    },
    {
      name: 'search deeply nested query',
      method: 'GET',
      path: `/api/v1/search?q=${'('.repeat(200)}a${')'.repeat(200)}`,
      key: 'acmeRead',
      status: 400,
    },
    {
      name: 'search bad time',
      method: 'GET',
      path: '/api/v1/search?from=yesterday',
      key: 'acmeRead',
      status: 400,
    },
    {
      name: 'search huge range',
      method: 'GET',
      path: '/api/v1/search?from=0001-01-01T00:00:00Z',
      key: 'acmeRead',
      status: 400,
    },
    {
      name: 'search bad limit',
      method: 'GET',
      path: '/api/v1/search?limit=-1',
      key: 'acmeRead',
      status: 400,
    },
    {
      name: 'search limit 1e999',
      method: 'GET',
      path: '/api/v1/search?limit=1e999',
      key: 'acmeRead',
      status: 400,
    },
    {
      name: 'search forged cursor',
      method: 'GET',
      path: '/api/v1/search?cursor=eyJ0ZW5hbnQiOiJnbG9iZXgifQ',
      key: 'acmeRead',
      status: 400,
    },
    {
      name: 'search invalid UTF-8 in q',
      method: 'GET',
      path: '/api/v1/search?q=%C3%28',
      key: 'acmeRead',
      status: [200, 400],
    },
    // Trace.
    { name: 'trace unauthenticated', method: 'GET', path: '/api/v1/trace/abc', key: null, status: 401 },
    {
      name: 'trace cross-tenant',
      method: 'GET',
      path: '/api/v1/trace/abc?tenant=globex',
      key: 'acmeAdmin',
      status: 403,
    },
    {
      name: 'trace long id',
      method: 'GET',
      path: `/api/v1/trace/${'a'.repeat(4000)}`,
      key: 'acmeRead',
      status: [200, 400, 404],
    },
    // Tail.
    { name: 'tail unauthenticated', method: 'GET', path: '/api/v1/tail', key: null, status: 401 },
    {
      name: 'tail cross-tenant',
      method: 'GET',
      path: '/api/v1/tail?tenant=globex',
      key: 'acmeRead',
      status: 403,
    },
    { name: 'tail bad query', method: 'GET', path: '/api/v1/tail?q=level:', key: 'acmeRead', status: 400 },
    {
      name: 'tail CR/LF tenant',
      method: 'GET',
      path: '/api/v1/tail?tenant=%0d%0a',
      key: 'operator',
      status: 400,
    },
    // Metrics.
    {
      name: 'metrics unauthenticated',
      method: 'GET',
      path: '/api/v1/metrics?name=log_count',
      key: null,
      status: 401,
    },
    {
      name: 'metrics cross-tenant',
      method: 'GET',
      path: '/api/v1/metrics?name=log_count&tenant=globex',
      key: 'acmeAdmin',
      status: 403,
    },
    { name: 'metrics no name', method: 'GET', path: '/api/v1/metrics', key: 'acmeRead', status: 400 },
    {
      name: 'metrics bad step',
      method: 'GET',
      path: '/api/v1/metrics?name=log_count&step=0s',
      key: 'acmeRead',
      status: 400,
    },
    // Alerts.
    { name: 'rules unauthenticated', method: 'GET', path: '/api/v1/alerts/rules', key: null, status: 401 },
    {
      name: 'rules cross-tenant read',
      method: 'GET',
      path: '/api/v1/alerts/rules?tenant=globex',
      key: 'acmeAdmin',
      status: 403,
    },
    {
      name: 'rule by a read key',
      method: 'POST',
      path: '/api/v1/alerts/rules',
      key: 'acmeRead',
      headers: JSON_TYPE,
      body: rule(),
      status: 403,
    },
    {
      name: 'rule cross-tenant (body)',
      method: 'POST',
      path: '/api/v1/alerts/rules',
      key: 'acmeAdmin',
      headers: JSON_TYPE,
      body: rule({ tenant: 'globex' }),
      status: 403,
    },
    {
      name: 'rule cross-tenant (query)',
      method: 'POST',
      path: '/api/v1/alerts/rules?tenant=globex',
      key: 'acmeAdmin',
      headers: JSON_TYPE,
      body: rule(),
      status: 403,
    },
    {
      name: 'rule CR/LF tenant',
      method: 'POST',
      path: '/api/v1/alerts/rules?tenant=x%0d%0aSet-Cookie:%20a=b',
      key: 'operator',
      headers: JSON_TYPE,
      body: rule(),
      status: 400,
    },
    {
      name: 'rule malformed',
      method: 'POST',
      path: '/api/v1/alerts/rules',
      key: 'acmeAdmin',
      headers: JSON_TYPE,
      body: '{"name":',
      status: 400,
    },
    {
      name: 'rule wrong type',
      method: 'POST',
      path: '/api/v1/alerts/rules',
      key: 'acmeAdmin',
      headers: JSON_TYPE,
      body: '[1,2]',
      status: [400, 422],
    },
    {
      name: 'rule oversized',
      method: 'POST',
      path: '/api/v1/alerts/rules',
      key: 'acmeAdmin',
      headers: JSON_TYPE,
      body: rule({ query: 'a'.repeat(70 * 1024) }),
      status: 413,
    },
    {
      name: 'rule deeply nested',
      method: 'POST',
      path: '/api/v1/alerts/rules',
      key: 'acmeAdmin',
      headers: JSON_TYPE,
      body: nested(5000),
      status: [400, 422],
    },
    {
      name: 'rule not JSON',
      method: 'POST',
      path: '/api/v1/alerts/rules',
      key: 'acmeAdmin',
      headers: { 'content-type': 'text/plain' },
      body: rule(),
      status: 415,
    },
    {
      name: 'delete cross-tenant',
      method: 'DELETE',
      path: '/api/v1/alerts/rules/x?tenant=globex',
      key: 'acmeAdmin',
      status: 403,
    },
    {
      name: 'firing cross-tenant',
      method: 'GET',
      path: '/api/v1/alerts/firing?tenant=globex',
      key: 'acmeRead',
      status: 403,
    },
    // Proxy.
    {
      name: 'proxy encoded slash',
      method: 'GET',
      path: '/svc/..%2F..%2Fetc',
      key: null,
      status: 400,
      code: 'bad_path',
    },
    {
      name: 'proxy large header',
      method: 'GET',
      path: '/svc/x',
      key: null,
      headers: { 'x-big': 'a'.repeat(20_000) },
      status: [200, 431],
    },
    {
      name: 'proxy bad correlation id',
      method: 'GET',
      path: '/svc/x',
      key: null,
      headers: { 'x-correlation-id': '<script>' },
      status: 200,
    },
    // UI files.
    { name: 'UI index', method: 'GET', path: '/', key: null, status: 200 },
    { name: 'UI traversal', method: 'GET', path: '/ui/..%2F..%2Fpackage.json', key: null, status: 404 },
    { name: 'UI dot segments', method: 'GET', path: '/ui/../../package.json', key: null, status: 404 },
    { name: 'UI unknown file', method: 'GET', path: '/ui/nope.js', key: null, status: 404 },
    { name: 'UI POST', method: 'POST', path: '/ui/app.js', key: null, body: 'x', status: [404, 405] },
    // Anything else.
    {
      name: 'unknown route',
      method: 'GET',
      path: '/api/v2/search',
      key: 'acmeRead',
      status: 404,
      code: 'not_found',
    },
  ];
}

describe('hostile input on every route of a standalone server', () => {
  let server: HostileServer;
  before(async () => {
    server = await startHostileServer();
  });
  after(() => server.stop());

  it('answers each hostile request with its documented status and an error body, staying healthy', async () => {
    const failures: string[] = [];
    for (const row of rows()) {
      const key = row.key === undefined ? 'acmeIngest' : row.key;
      const headers: Record<string, string> = { ...row.headers };
      if (key !== null) headers.authorization = `Bearer ${typeof key === 'string' ? KEYS[key] : key.raw}`;
      const method = row.method ?? 'POST';
      // A declared length that is not the body's own goes over a raw socket (fetch would refuse it).
      const res =
        headers['content-length'] !== undefined
          ? await rawRequest(server.url, `${method} ${row.path} HTTP/1.1`, headers, String(row.body ?? ''))
          : await fetch(server.url + row.path, {
              method,
              headers,
              body: method === 'GET' || method === 'DELETE' ? undefined : (row.body ?? ''),
            });
      {
        const text = 'text' in res ? await res.text() : res.body;
        const allowed = Array.isArray(row.status) ? row.status : [row.status];
        if (!allowed.includes(res.status)) failures.push(`${row.name}: ${res.status} ${text.slice(0, 200)}`);
        if (res.status >= 400 && res.status !== 431 && res.status !== 405) {
          try {
            const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
            if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string')
              failures.push(`${row.name}: error body without code/message`);
            else if (row.code !== undefined && body.error.code !== row.code)
              failures.push(`${row.name}: code ${body.error.code}, expected ${row.code}`);
            if (/\n\s+at /.test(body.error?.message ?? ''))
              failures.push(`${row.name}: stack trace in the answer`);
          } catch {
            failures.push(`${row.name}: ${res.status} answer is not JSON: ${text.slice(0, 100)}`);
          }
        }
      }
      const health = await fetch(`${server.url}/healthz`);
      if (health.status !== 200) failures.push(`${row.name}: /healthz ${health.status} after it`);
      await health.body?.cancel();
    }
    assert.deepEqual(failures, []);
  });

  it('keeps proxy targets on the configured upstream, whatever the request line', async () => {
    const o = server.otherPort;
    for (const target of [
      `/svc//127.0.0.1:${o}/`,
      `//127.0.0.1:${o}/`,
      `/svc/..//127.0.0.1:${o}/`,
      `/svc/%2F%2F127.0.0.1:${o}/`,
      `http://127.0.0.1:${o}/svc/x`,
      `/svc\\/127.0.0.1:${o}/`,
    ]) {
      const answer = await rawRequest(server.url, `GET ${target} HTTP/1.1`);
      assert.ok(answer.status < 500, `${target}: ${answer.status}`);
    }
    assert.deepEqual(server.otherSeen, []);
  });

  it('holds a slow client only until the header timeout, and still serves others meanwhile', async () => {
    const { connect } = await import('node:net');
    const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
    socket.on('error', () => undefined);
    socket.resume(); // read, or the server's close is never seen
    socket.write('POST /api/v1/ingest HTTP/1.1\r\nhost: 127.0.0.1\r\nx-slow: ');
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    await Promise.race([
      closed,
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('slow client still held after 6 s')), 6000),
      ),
    ]);
  });
});
