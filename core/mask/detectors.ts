/**
 * The built-in detectors, by the name config uses (`mask.builtin`) and the marker shows.
 * The index of a name is its detector id: the scanner keeps ids in typed arrays, not strings.
 */
export const BUILTIN_DETECTORS = [
  'password',
  'secret',
  'token',
  'jwt',
  'aws_key',
  'private_key',
  'credit_card',
  'email',
] as const;
export type BuiltinDetector = (typeof BUILTIN_DETECTORS)[number];

export const PASSWORD = 0;
export const SECRET = 1;
export const TOKEN = 2;
export const JWT = 3;
export const AWS_KEY = 4;
export const PRIVATE_KEY = 5;
export const CREDIT_CARD = 6;
export const EMAIL = 7;

/**
 * What replaces a masked value: says which detector fired and nothing about the value.
 * Contains no quote, backslash, space or control character, so it can stand in any JSON string,
 * logfmt bare value or URL without breaking them.
 */
export function marker(name: string): string {
  return `[MASKED:${name}]`;
}

/** Every marker starts with this; values already masked are left as they are. */
export const MARKER_PREFIX = '[MASKED:';
