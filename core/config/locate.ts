import { type Document, isAlias, isMap, isPair, isScalar, isSeq, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

export type PathKey = string | number;

/**
 * Where a key path sits in the YAML source. With `at: 'key'` it points at the key itself (for unknown
 * keys); otherwise at the value, or at its key when the value is empty. A path that goes beyond the
 * document (a missing key) points at the deepest part that exists, which is where the key belongs.
 */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: readonly PathKey[],
  at: 'key' | 'value' = 'value',
): Position {
  let node: Node | null = doc.contents as Node | null;
  let keyNode: Node | null = null;
  for (const step of path) {
    if (isAlias(node)) node = node.resolve(doc) ?? null;
    const found = child(node, step);
    if (!found) break;
    keyNode = found.key;
    node = found.value;
  }
  const target = at === 'key' ? (keyNode ?? node) : (node ?? keyNode);
  const offset = target?.range?.[0] ?? 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col };
}

function child(node: Node | null, step: PathKey): { key: Node | null; value: Node | null } | undefined {
  if (isMap(node)) {
    const pair = node.items.find((item) => isPair(item) && keyText(item.key) === String(step));
    if (!pair) return undefined;
    return { key: pair.key as Node | null, value: pair.value as Node | null };
  }
  if (isSeq(node) && typeof step === 'number') {
    const item = node.items[step] as Node | undefined;
    return item === undefined ? undefined : { key: item, value: item };
  }
  return undefined;
}

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

/** `inputs[0].multiline.timeout`; keys that are not plain words are quoted: `tenants["acme.eu"]`. */
export function renderPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out || '(top level)';
}
