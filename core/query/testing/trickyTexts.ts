/** Texts where tokenizers commonly differ; the SQLite adapter checks its FTS index against them too. */
export const TRICKY = [
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
