import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeXmlText, escapeXml, xmlElements, xmlText } from './xml.ts';

describe('S3 XML reading', () => {
  it('decodes the predefined entities and numeric references', () => {
    assert.equal(decodeXmlText('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;'), 'a & b <c> "d" \'e\'');
    assert.equal(decodeXmlText('&#233;t&#xE9; &#x1F600;'), 'été 😀');
  });

  it('leaves unknown entities and bare ampersands as they are', () => {
    assert.equal(decodeXmlText('&nbsp; & done'), '&nbsp; & done');
  });

  it('escapes what an element body cannot hold and round-trips through decoding', () => {
    const text = `<a href="x">Tom & 'Jerry'</a>`;
    assert.equal(escapeXml(text), '&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;');
    assert.equal(decodeXmlText(escapeXml(text)), text);
  });

  it('finds every element of a name, in document order, with attributes and self-closing forms', () => {
    const xml =
      '<R xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><P a="1">one</P><Q/><P>two</P><P/><P >three</P ></R>';
    assert.deepEqual(xmlElements(xml, 'P'), ['one', 'two', '', 'three']);
    assert.deepEqual(xmlElements(xml, 'Missing'), []);
  });

  it('does not confuse a tag with a longer tag that starts the same way', () => {
    const xml = '<KeyCount>2</KeyCount><Key>a&amp;b</Key>';
    assert.equal(xmlText(xml, 'Key'), 'a&b');
    assert.equal(xmlText(xml, 'KeyCount'), '2');
  });

  it('reads the first element text decoded, undefined when absent, empty for a self-closing tag', () => {
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchKey</Code><Message/></Error>';
    assert.equal(xmlText(xml, 'Code'), 'NoSuchKey');
    assert.equal(xmlText(xml, 'Message'), '');
    assert.equal(xmlText(xml, 'RequestId'), undefined);
  });

  it('keeps whitespace and newlines inside element text', () => {
    assert.equal(xmlText('<Key>  a\nb  </Key>', 'Key'), '  a\nb  ');
  });
});
