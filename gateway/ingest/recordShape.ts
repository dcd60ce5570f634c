/**
 * Counts a record's fields (scalar leaves) and nesting depth, stopping as soon as either passes its
 * limit so a hostile record with 100,000 fields or depth 1,000 costs little to refuse.
 * Returns a reason when over a limit, else null.
 */
export function checkShape(record: unknown, maxFields: number, maxDepth: number): string | null {
  let fields = 0;
  let deepest = 0;
  // Iterative walk: a recursive one would overflow the stack on depth-10,000 input before any limit.
  const stack: Array<{ value: unknown; depth: number }> = [{ value: record, depth: 0 }];
  while (stack.length > 0) {
    const { value, depth } = stack.pop()!;
    if (value === null || typeof value !== 'object') {
      // JSON.parse reads 1e999 as Infinity, which JSON.stringify would store as null: refuse instead.
      if (typeof value === 'number' && !Number.isFinite(value))
        return 'record has a number too large to store (such as 1e999); send it as a string';
      fields++;
      if (fields > maxFields) return `record has more than ${maxFields} fields`;
      continue;
    }
    if (depth > deepest) deepest = depth;
    if (deepest > maxDepth) return `record is nested deeper than ${maxDepth} levels`;
    const children = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) stack.push({ value: child, depth: depth + 1 });
    if (stack.length > maxFields + maxDepth) return `record has more than ${maxFields} fields`;
  }
  return null;
}
