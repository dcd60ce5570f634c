import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LogEvent } from '../event/types.ts';
import { sqliteWithEvents } from './testing/sqliteEvents.ts';
import { foldCase, isTokenChar, TOKEN_SEPARATOR_PATTERN, tokenize } from './tokenize.ts';

const TRICKY = [
  "foo_bar 3.14 can't",
  'Café CAFÉ cafe\u0301',
  'ΣΟΦΟΣ σοφος',
  'İstanbul ISTANBUL',
  '日本語テキスト 中文',
  '😀emoji🎉x 🤔think',
  'a\u00adb x\u200by',
  'Ⅻ ⅻ ①②',
  'straße STRASSE ẞ',
  'ａｂｃ ＡＢＣ',
  'ᏸ Ᏸ ꞵ Ꞵ',
  'tab\tnl\nx',
];

describe('tokenize', () => {
  it('splits on everything but letters and digits, and lowercases', () => {
    assert.deepEqual(tokenize("Foo_bar 3.14 can't"), ['foo', 'bar', '3', '14', 'can', 't']);
    assert.deepEqual(tokenize('payment-gateway: TIMEOUT!'), ['payment', 'gateway', 'timeout']);
    assert.deepEqual(tokenize('日本語テキスト 中文'), ['日本語テキスト', '中文']);
    assert.deepEqual(tokenize('😀emoji🎉x'), ['emoji', 'x']);
    assert.deepEqual(tokenize('--- ...'), []);
  });

  it('splits decomposed accents off their letter (combining marks are not letters)', () => {
    assert.deepEqual(tokenize('cafe\u0301'), ['cafe']);
    assert.deepEqual(tokenize('café'), ['café']);
  });

  it('folds per code point: İ to i, Σ to σ everywhere, ς kept', () => {
    assert.deepEqual(tokenize('İSTANBUL ΣΟΦΟΣ σοφος'), ['istanbul', 'σοφοσ', 'σοφος']);
    assert.equal(foldCase('AΣ.'), 'aσ.');
  });

  it('folds every code point to exactly one code point of the same letter/digit class', () => {
    const bad: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const char = String.fromCodePoint(cp);
      const folded = foldCase(char);
      if ([...folded].length !== 1 || isTokenChar(folded) !== isTokenChar(char)) bad.push(cp.toString(16));
    }
    assert.deepEqual(bad, []);
  });

  it('exports the separator pattern the OpenSearch analyzer uses, splitting like tokenize', () => {
    const separator = new RegExp(TOKEN_SEPARATOR_PATTERN, 'u');
    for (const text of TRICKY) {
      const pieces = text
        .split(separator)
        .filter((piece) => piece !== '')
        .map(foldCase);
      assert.deepEqual(pieces, tokenize(text), text);
    }
  });

  it('is what the SQLite FTS index holds, token for token, even where unicode61 would differ', () => {
    const events: LogEvent[] = TRICKY.map((message, i) => ({
      id: `e${i}`,
      ts: '2026-11-23T12:00:00Z',
      observed_ts: '2026-11-23T12:00:00Z',
      level: 'info',
      service: 's',
      tenant: 't',
      message,
      attrs: {},
    }));
    const db = sqliteWithEvents(events);
    db.exec("CREATE VIRTUAL TABLE vocab USING fts5vocab(events_fts, 'instance')");
    const rows = db.prepare('SELECT doc, term FROM vocab ORDER BY doc, offset').all();
    events.forEach((event, i) => {
      const indexed = rows.filter((row) => row.doc === i + 1).map((row) => String(row.term));
      assert.deepEqual(indexed, tokenize(event.message), event.message);
    });
  });
});
