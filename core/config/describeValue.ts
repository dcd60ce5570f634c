/** How a found value reads in an error message: strings quoted and bounded, structures by their shape. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'an empty value';
  if (typeof value === 'string') return quote(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

/**
 * Double-quotes text for messages. Unlike JSON.stringify it leaves backslashes alone, so a regular
 * expression reads as the user wrote it (`"^\d+"`, not `"^\\d+"`).
 */
export function quote(text: string): string {
  return `"${text.replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
