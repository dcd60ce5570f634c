import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { event, T0 } from '../contract/contractEvents.ts';
import { bulkEntry } from './bulkDocuments.ts';

/** The entry's two lines: the action and the document, parsed, plus the document line's text. */
function linesOf(bytes: Uint8Array): { action: unknown; doc: Record<string, unknown>; docText: string } {
  const text = Buffer.from(bytes).toString('utf8');
  assert.ok(text.endsWith('\n'));
  const [action, docText, rest] = text.split('\n');
  assert.equal(rest, '');
  return { action: JSON.parse(action), doc: JSON.parse(docText), docText };
}

const names = () => new Map<string, string>();

describe('bulkEntry', () => {
  // Non-ASCII in the tenant-free fields: the projection's text is encoded as UTF-8, not cut short.
  const e = event('e1', 'acme', T0, {
    message: 'Zürich 🚀 ошибка timeout',
    attrs: { città: 'Genève', n: 3 },
  });

  it('stores the source bytes it is given as _source, byte for byte, with the projection appended', () => {
    // The same event with its members in another order: only the given bytes could produce this text.
    const { attrs, ...rest } = e;
    const reordered = JSON.stringify({ attrs, ...rest });
    assert.notEqual(reordered, JSON.stringify(e));
    const entry = bulkEntry('p', e, names(), undefined, Buffer.from(reordered));
    assert.equal(typeof entry, 'object');
    const { action, doc, docText } = linesOf((entry as { bytes: Uint8Array }).bytes);
    assert.deepEqual(action, { create: { _index: 'p-acme-2026.11.23', _id: 'e1' } });
    assert.ok(docText.startsWith(`${reordered.slice(0, -1)},"search":{`));
    const { search, ...source } = doc;
    assert.deepEqual(source, e);
    assert.match((search as { tokens: string }).tokens, /zürich/);
  });

  it('serializes the event when it has no source, or one that is not a JSON object', () => {
    const plain = bulkEntry('p', e, names()) as { bytes: Uint8Array };
    assert.ok(linesOf(plain.bytes).docText.startsWith(`${JSON.stringify(e).slice(0, -1)},"search":{`));
    for (const bad of ['', '}', `${JSON.stringify(e)}\n`, '[1]']) {
      const entry = bulkEntry('p', e, names(), undefined, Buffer.from(bad)) as { bytes: Uint8Array };
      assert.deepEqual(entry.bytes, plain.bytes, JSON.stringify(bad));
    }
  });

  it('gives the reason instead of an entry for an event OpenSearch could not store', () => {
    assert.match(String(bulkEntry('p', { ...e, id: 'x'.repeat(513) }, names())), /event id/);
    assert.match(String(bulkEntry('p', { ...e, ts: '1960-01-01T00:00:00.000Z' }, names())), /date_nanos/);
  });
});
