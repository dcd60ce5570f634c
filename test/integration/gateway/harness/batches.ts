/**
 * NDJSON ingest batches whose every record carries a unique id, with invalid records mixed in at known
 * positions, so a test can say exactly which events the gateway must have stored.
 */

export interface Batch {
  body: string;
  /** Ids of the records the gateway must accept. */
  validIds: string[];
  /** Positions (0-based) of the records it must refuse. */
  invalid: number[];
  /** Service of each valid id, for checking keys. */
  serviceOf: Map<string, string>;
}

/** Ways a record is refused, each one a line of the NDJSON body. Sizes match the limits tests configure. */
const INVALID_LINES: Array<(id: string) => string> = [
  (id) => `{"id":"${id}","level":"info"`, // cut short: not JSON
  (id) => JSON.stringify({ id, level: 'warn', note: 'no message field' }),
  (id) => JSON.stringify({ id, message: 'too deep', a: nested(12) }), // deeper than max_depth: 8
  (id) => JSON.stringify({ id, message: 'x'.repeat(2048) }), // longer than max_line: 1KiB
  () => '[1,2,3]',
];

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { level: value };
  return value;
}

export const SERVICES = ['checkout', 'payments', 'search', 'auth'];

/**
 * `count` records with ids `<prefix>-<i>`; every `invalidEvery`-th one is invalid (0: none). Valid records
 * carry a `tenant` field in the body, which the gateway must ignore in favour of the key's tenant.
 */
export function makeBatch(prefix: string, count: number, invalidEvery = 0): Batch {
  const lines: string[] = [];
  const validIds: string[] = [];
  const invalid: number[] = [];
  const serviceOf = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-${i}`;
    if (invalidEvery > 0 && i % invalidEvery === invalidEvery - 1) {
      invalid.push(i);
      lines.push(INVALID_LINES[invalid.length % INVALID_LINES.length](id));
      continue;
    }
    const service = SERVICES[i % SERVICES.length];
    validIds.push(id);
    serviceOf.set(id, service);
    lines.push(
      JSON.stringify({
        id,
        ts: new Date().toISOString(),
        level: i % 7 === 0 ? 'error' : 'info',
        service,
        tenant: 'not-the-key-tenant',
        message: `request ${i} handled`,
        attrs: { 'http.status': i % 7 === 0 ? 500 : 200, seq: i },
      }),
    );
  }
  return { body: `${lines.join('\n')}\n`, validIds, invalid, serviceOf };
}
