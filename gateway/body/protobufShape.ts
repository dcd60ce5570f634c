import protobuf from 'protobufjs';
import { ApiError } from '../../core/http/apiError.ts';
import { tooManyRecords } from './recordLimit.ts';

/** Deeper nesting than this is refused: a few bytes per level would otherwise overflow the stack. */
const MAX_DEPTH = 64;

/**
 * Walks a protobuf body with the runtime's Reader before it is decoded, without building anything:
 * every known field must come with its schema's wire type (protobufjs's decoder does not check, and
 * would read a mistyped field as garbage), the body must not be truncated, and each field named in
 * `counted` (e.g. OTLP's resource, scope and record lists) is held to `max` occurrences, so a body of
 * millions of tiny records is refused (413) before they are materialized. Unknown fields are skipped,
 * as protobuf requires: newer clients add fields. A bad body is a 400 whose message says where.
 */
export function checkProtobuf(
  type: protobuf.Type,
  body: Uint8Array,
  counted: readonly string[],
  max: number,
  what: string,
): void {
  const counts = new Map<protobuf.Field, number>();
  const countedFields = new Set<protobuf.Field>();
  const reader = protobuf.Reader.create(body);
  const walk = (t: protobuf.Type, end: number, depth: number): void => {
    if (depth > MAX_DEPTH) throw malformed(what, `nested deeper than ${MAX_DEPTH} levels`);
    while (reader.pos < end) {
      const tag = reader.uint32();
      // Field number 0 is invalid (zeros past a message's end, e.g. a truncated snappy block's padding).
      if (tag >>> 3 === 0)
        throw malformed(what, `${t.name} has a field numbered 0 at byte ${reader.pos - 1}`);
      const wireType = tag & 7;
      const field = t.fieldsById[tag >>> 3];
      if (field === undefined) {
        reader.skipType(wireType);
        continue;
      }
      const expected = wireTypeOf(field);
      const packed = field.repeated && wireType === 2 && Object.hasOwn(protobuf.types.packed, field.type);
      if (wireType !== expected && !packed)
        throw malformed(
          what,
          `${t.name}.${field.name} (field ${field.id}) has wire type ${wireType}, expected ${expected}`,
        );
      if (countedFields.has(field)) {
        const n = (counts.get(field) ?? 0) + 1;
        if (n > max) throw tooManyRecords(max);
        counts.set(field, n);
      }
      if (field.resolvedType instanceof protobuf.Type) {
        const inner = reader.uint32() + reader.pos;
        if (inner > end) throw malformed(what, `${t.name}.${field.name} runs past the end of its message`);
        walk(field.resolvedType, inner, depth + 1);
      } else reader.skipType(wireType);
    }
    if (reader.pos !== end) throw malformed(what, `${t.name} runs past the end of its enclosing message`);
  };
  for (const path of counted) {
    const field = type.root.lookup(path);
    if (!(field instanceof protobuf.Field)) throw new Error(`no field ${path} in the schema`);
    countedFields.add(field);
  }
  try {
    walk(type, body.length, 0);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw malformed(what, `truncated or not protobuf (${(error as Error).message})`);
  }
}

function wireTypeOf(field: protobuf.Field): number {
  const resolved = field.resolve().resolvedType;
  if (resolved instanceof protobuf.Type) return 2;
  if (resolved instanceof protobuf.Enum) return 0;
  return protobuf.types.basic[field.type as keyof typeof protobuf.types.basic];
}

function malformed(what: string, why: string): ApiError {
  return new ApiError(400, 'malformed_protobuf', `the body is not a valid ${what}: ${why}`);
}
