import type * as v from 'valibot';
import { asNode, OBJECT_TYPES, type SchemaNode, unwrap } from './schemaNode.ts';

/** One documented key of a config schema. */
export interface SchemaKey {
  /** `inputs[].multiline.timeout`; `[]` marks list items and `*` a key of the user's choosing. */
  path: string;
  /** `string`, `integer`, `duration`, `size`, `gzip | zstd | none`, `list of string`, `object`, … */
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
  example?: unknown;
  /** For keys of one variant: which discriminator value they belong to, e.g. `bus.kind: kafka`. */
  when?: string;
}

/**
 * Lists every key a schema accepts, depth first, with its type, default and description, so the
 * reference in docs/ is generated from (and checked against) the schema instead of drifting from it.
 */
export function describeSchema(schema: v.GenericSchema): SchemaKey[] {
  const out: SchemaKey[] = [];
  walk(asNode(schema), '', undefined, out);
  return out;
}

function walk(
  schema: SchemaNode,
  path: string,
  when: string | undefined,
  out: SchemaKey[],
  own = true,
): void {
  const info = unwrap(schema);
  const base = info.base;
  if (own && path !== '') {
    const key: SchemaKey = { path, type: typeName(schema), required: !info.optional };
    if (info.default !== undefined && !isEmptySection(info.default, base)) key.default = info.default;
    if (info.description !== undefined) key.description = info.description;
    if (info.metadata.example !== undefined) key.example = info.metadata.example;
    if (when !== undefined) key.when = when;
    out.push(key);
  }
  const prefix = path === '' ? '' : `${path}.`;
  if (OBJECT_TYPES.has(base.type)) {
    for (const [name, entry] of Object.entries(base.entries ?? {})) walk(entry, prefix + name, when, out);
  } else if (base.type === 'variant') {
    walkVariant(base, path, out);
  } else if (base.type === 'array' && base.item && isStructured(base.item)) {
    // The list's own row describes its items; their keys follow.
    walk(base.item, `${path}[]`, when, out, false);
  } else if (base.type === 'record' && base.value && isStructured(base.value)) {
    walk(base.value, `${prefix}*`, when, out, false);
  }
}

function walkVariant(variant: SchemaNode, path: string, out: SchemaKey[]): void {
  const discriminator = variant.key as string;
  const prefix = path === '' ? '' : `${path}.`;
  const options = (variant.options ?? []) as SchemaNode[];
  const values = options.map((option) => unwrap(unwrap(option).base.entries?.[discriminator] ?? option));
  const implied = values.find((value) => value.optional);
  const key: SchemaKey = {
    path: prefix + discriminator,
    type: values.map((value) => String(value.base.literal)).join(' | '),
    required: implied === undefined,
  };
  if (implied) key.default = implied.base.literal;
  const description = values.find((value) => value.description)?.description;
  if (description) key.description = description;
  out.push(key);
  options.forEach((option, i) => {
    const when = `${prefix + discriminator}: ${String(values[i].base.literal)}`;
    for (const [name, entry] of Object.entries(unwrap(option).base.entries ?? {})) {
      if (name !== discriminator) walk(entry, prefix + name, when, out);
    }
  });
}

function isStructured(schema: SchemaNode): boolean {
  const type = unwrap(schema).base.type;
  return OBJECT_TYPES.has(type) || type === 'variant';
}

/** Sections default to `{}` so their keys' defaults apply; that default says nothing to a reader. */
function isEmptySection(value: unknown, base: SchemaNode): boolean {
  return (OBJECT_TYPES.has(base.type) || base.type === 'variant') && typeof value === 'object';
}

/** A type as the reference shows it. */
export function typeName(schema: SchemaNode): string {
  const info = unwrap(schema);
  const base = info.base;
  if (typeof info.metadata.type === 'string') return info.metadata.type;
  switch (base.type) {
    case 'number':
      return info.actions.has('integer') ? 'integer' : 'number';
    case 'picklist':
      return (base.options as readonly unknown[]).join(' | ');
    case 'literal':
      return String(base.literal);
    case 'array':
      return `list of ${base.item ? typeName(base.item) : 'any'}`;
    case 'record':
      return `map of ${base.value ? typeName(base.value) : 'any'}`;
    case 'union':
      return (base.options as SchemaNode[]).map(typeName).join(' or ');
    case 'variant':
    case 'object':
    case 'strict_object':
    case 'loose_object':
      return 'object';
    default:
      return base.type;
  }
}
