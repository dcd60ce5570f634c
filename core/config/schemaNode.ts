import type * as v from 'valibot';

/**
 * The parts of a valibot schema object that config tooling reads. Valibot schemas are plain objects whose
 * `type` names the kind; `v.pipe` copies the first schema's fields and adds `pipe`.
 */
export interface SchemaNode {
  kind: string;
  type: string;
  entries?: Record<string, SchemaNode>;
  item?: SchemaNode;
  wrapped?: SchemaNode;
  default?: unknown;
  options?: SchemaNode[] | readonly unknown[];
  key?: SchemaNode | string;
  value?: SchemaNode;
  literal?: unknown;
  pipe?: SchemaNode[];
  description?: string;
  metadata?: Record<string, unknown>;
  getter?: (input: unknown) => SchemaNode;
}

const WRAPPERS = new Set([
  'optional',
  'exact_optional',
  'nullish',
  'nullable',
  'non_optional',
  'non_nullable',
]);
export const OBJECT_TYPES = new Set(['object', 'strict_object', 'loose_object']);

export function asNode(schema: v.GenericSchema): SchemaNode {
  return schema as unknown as SchemaNode;
}

export interface Unwrapped {
  /** The schema under optional/nullish wrappers. */
  base: SchemaNode;
  optional: boolean;
  default?: unknown;
  description?: string;
  metadata: Record<string, unknown>;
  /** Types of the pipe actions on the way, e.g. `integer`, `min_value`. */
  actions: Set<string>;
}

/** Peels wrappers and collects what pipes on the way say: the outermost description and metadata win. */
export function unwrap(schema: SchemaNode): Unwrapped {
  const out: Unwrapped = { base: schema, optional: false, metadata: {}, actions: new Set() };
  let node: SchemaNode | undefined = schema;
  while (node) {
    collectPipe(node, out);
    out.base = node;
    if (!WRAPPERS.has(node.type)) break;
    if (node.type === 'optional' || node.type === 'exact_optional' || node.type === 'nullish') {
      out.optional = true;
      if (out.default === undefined && node.default !== undefined) {
        out.default = typeof node.default === 'function' ? node.default() : node.default;
      }
    }
    node = node.wrapped;
  }
  return out;
}

/** Reads a pipe's actions; a pipe of a pipe keeps the inner one as its first item. */
function collectPipe(node: SchemaNode, out: Unwrapped): void {
  // Outer pipes are read first, so their description and metadata win over the inner ones.
  for (const item of node.pipe ?? []) {
    out.actions.add(item.type);
    if (item.type === 'description' && out.description === undefined) out.description = item.description;
    if (item.type === 'metadata') out.metadata = { ...item.metadata, ...out.metadata };
  }
  for (const item of node.pipe ?? [])
    if (item.kind === 'schema' && item !== node && item.pipe) collectPipe(item, out);
}

/** The option of a variant that the input's discriminator selects, if any. */
export function variantOption(variant: SchemaNode, input: unknown): SchemaNode | undefined {
  const key = variant.key as string;
  const options = (variant.options ?? []) as SchemaNode[];
  const value = isRecord(input) ? input[key] : undefined;
  for (const option of options) {
    const base = unwrap(option).base;
    if (base.type === 'variant') {
      const nested = variantOption(base, input);
      if (nested) return nested;
      continue;
    }
    const discriminator = base.entries?.[key];
    if (!discriminator) continue;
    const literal = unwrap(discriminator);
    if (literal.base.literal === value || (value === undefined && literal.optional)) return base;
  }
  return undefined;
}

/**
 * The object schema that validates the value at `path` of `input`, following objects, arrays, records,
 * and variants by their discriminator; undefined when the path leaves the schema.
 */
export function objectSchemaAt(
  schema: SchemaNode,
  path: readonly (string | number)[],
  input: unknown,
): SchemaNode | undefined {
  let node: SchemaNode | undefined = resolveObject(schema, input);
  let value = input;
  for (const step of path) {
    if (!node) return undefined;
    const base: SchemaNode = unwrap(node).base;
    let next: SchemaNode | undefined;
    if (OBJECT_TYPES.has(base.type)) next = base.entries?.[String(step)];
    else if (base.type === 'array') next = base.item;
    else if (base.type === 'record') next = base.value;
    value = isRecord(value) || Array.isArray(value) ? (value as Record<string, unknown>)[step] : undefined;
    node = next ? resolveObject(next, value) : undefined;
  }
  return node && OBJECT_TYPES.has(unwrap(node).base.type) ? unwrap(node).base : undefined;
}

function resolveObject(schema: SchemaNode, input: unknown): SchemaNode | undefined {
  let base = unwrap(schema).base;
  if (base.type === 'lazy' && base.getter) base = unwrap(base.getter(input)).base;
  if (base.type === 'variant') return variantOption(base, input);
  if (base.type === 'union') {
    const options = (base.options ?? []) as SchemaNode[];
    return options.map((option) => unwrap(option).base).find((option) => OBJECT_TYPES.has(option.type));
  }
  return base;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
