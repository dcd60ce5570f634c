/**
 * Just enough XML for S3's fixed response shapes (ListBucketResult, Error,
 * InitiateMultipartUploadResult, CompleteMultipartUploadResult, DeleteResult) and the two
 * request bodies we send. Not a general XML parser: S3 answers use no attributes we need,
 * no CDATA, no comments and a default namespace, so reading the text between a known open
 * and close tag, then decoding entities, is exact for these documents.
 */

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes the five predefined entities and numeric character references. */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name] ?? whole;
  });
}

/** Escapes text for an XML element body. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${c === '&' ? 'amp' : c === '<' ? 'lt' : c === '>' ? 'gt' : c === '"' ? 'quot' : 'apos'};`,
  );
}

const patterns = new Map<string, RegExp>();

function elementPattern(tag: string): RegExp {
  let pattern = patterns.get(tag);
  if (!pattern) {
    // <Tag>, <Tag attr="…">, or self-closing <Tag/>; the body runs to the first </Tag>,
    // which is right because none of the shapes we read nest an element inside itself.
    pattern = new RegExp(`<${tag}(?:\\s[^>]*?)?(?:/>|>([\\s\\S]*?)</${tag}\\s*>)`, 'g');
    patterns.set(tag, pattern);
  }
  pattern.lastIndex = 0;
  return pattern;
}

/** The raw (still encoded) bodies of every `<tag>` element, in document order. */
export function xmlElements(xml: string, tag: string): string[] {
  const bodies: string[] = [];
  for (const match of xml.matchAll(elementPattern(tag))) bodies.push(match[1] ?? '');
  return bodies;
}

/** The decoded text of the first `<tag>` element, or undefined when there is none. */
export function xmlText(xml: string, tag: string): string | undefined {
  const match = elementPattern(tag).exec(xml);
  return match ? decodeXmlText(match[1] ?? '') : undefined;
}
